using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Docker.DotNet;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// A non-TTY exec's hijacked connection as one duplex <see cref="Stream"/> (what <c>StartProcessAsync</c> and
/// <c>ConnectAsync</c> hand out): reads return the command's stdout, demultiplexed by Docker.DotNet as the caller
/// reads, so a slow reader slows the command instead of filling memory; stderr goes to a bounded buffer for error
/// messages; writes go to its stdin.
/// </summary>
internal sealed class DockerExecStream(MultiplexedStream exec) : Stream
{
    private const int StderrCap = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _stderr = new();

    /// <summary>Up to 64 KiB of what the command wrote to stderr so far.</summary>
    public string Stderr => Encoding.UTF8.GetString(_stderr.WrittenSpan);

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Docker.DotNet's stream is array-based: the Memory overloads use the array behind the memory (what callers
    // here pass) or copy through a rented one.
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (MemoryMarshal.TryGetArray<byte>(buffer, out var segment))
        {
            return await ReadCoreAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken);
        }

        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = await ReadCoreAsync(rented, 0, buffer.Length, cancellationToken);
            rented.AsMemory(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var bytes = MemoryMarshal.TryGetArray(buffer, out var segment) ? segment : new ArraySegment<byte>(buffer.ToArray());
        return new ValueTask(WriteAsync(bytes.Array!, bytes.Offset, bytes.Count, cancellationToken));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadCoreAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadCoreAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        exec.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
        // Writes go straight to the socket.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>EOF on the command's stdin (a half-close); its output keeps coming.</summary>
    public void CloseWrite() => exec.CloseWrite();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            exec.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<int> ReadCoreAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return 0;
        }

        while (await exec.ReadOutputAsync(buffer, offset, count, cancellationToken) is { EOF: false } read)
        {
            switch (read.Target)
            {
                case MultiplexedStream.TargetStream.StandardOut:
                    return read.Count;
                case MultiplexedStream.TargetStream.StandardError:
                    DockerExec.AppendUpTo(_stderr, buffer.AsSpan(offset, read.Count), StderrCap);
                    break;
                default:
                    // Stdin frames never come from the engine; if one does, it is dropped rather than mixed into output.
                    break;
            }
        }

        return 0;
    }
}
