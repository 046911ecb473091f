using System.Buffers;
using System.Text;
using RemoltBlazor.Sandboxes.Docker;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// A non-TTY exec as one duplex <see cref="Stream"/> (what <c>StartProcessAsync</c> and <c>ConnectAsync</c> hand
/// out): reads return the command's stdout a message at a time as the caller reads, stderr goes to a bounded buffer
/// for error messages, the exit status is kept when it arrives; writes go to its stdin.
/// </summary>
internal sealed class KubernetesExecStream(KubernetesExecChannel channel) : Stream
{
    private const int StderrCap = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _stderr = new();
    private ReadOnlyMemory<byte> _pending;
    private byte[]? _status;
    private bool _ended;

    public KubernetesExecChannel Channel => channel;

    /// <summary>Up to 64 KiB of what the command wrote to stderr so far.</summary>
    public string Stderr => Encoding.UTF8.GetString(_stderr.WrittenSpan);

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        while (_pending.IsEmpty)
        {
            if (_ended || await channel.ReceiveAsync(cancellationToken) is not var (index, payload))
            {
                _ended = true;
                return 0;
            }

            switch (index)
            {
                case KubernetesExecChannel.Stdout:
                    // Valid until the next receive, which happens only once this is consumed.
                    _pending = payload;
                    break;
                case KubernetesExecChannel.Stderr:
                    DockerExec.AppendUpTo(_stderr, payload.Span, StderrCap);
                    break;
                case KubernetesExecChannel.Status:
                    _status = payload.ToArray();
                    break;
            }
        }

        var count = Math.Min(buffer.Length, _pending.Length);
        _pending[..count].CopyTo(buffer);
        _pending = _pending[count..];
        return count;
    }

    /// <summary>The exit code: reads (and drops) what output is left, then parses the status.</summary>
    public async Task<int> ExitCodeAsync(CancellationToken cancellationToken)
    {
        var sink = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await ReadAsync(sink, cancellationToken) > 0)
            {
                // Output the caller did not read.
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sink);
        }

        return _status is { } status
            ? KubernetesExecChannel.ExitCode(status, channel.Pod)
            : throw new Runtime.SandboxRuntimeException($"The exec in pod {channel.Pod} ended without an exit status (the connection broke off).");
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        channel.SendAsync(KubernetesExecChannel.Stdin, buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
        // Every write is one message on the socket.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            channel.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }
}
