using System.Buffers.Binary;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>
/// A non-TTY exec's hijacked connection as one duplex <see cref="Stream"/>: reads return the command's stdout with
/// Docker's 8-byte frame headers removed (stderr frames go to a bounded buffer), writes go to its stdin raw.
/// Frames are parsed as the caller reads, so a slow reader slows the command instead of filling memory.
/// </summary>
internal sealed class DockerExecStream : Stream
{
    private const int StderrCap = 64 * 1024;

    private readonly DockerHijackedStream _connection;
    private readonly byte[] _header = new byte[DockerStreamDemultiplexer.HeaderLength];
    private readonly byte[] _discard = new byte[16 * 1024];
    private long _stdoutRemaining;
    private bool _ended;

    public DockerExecStream(DockerHijackedStream connection) => _connection = connection;

    public BoundedOutputBuffer Stderr { get; } = new(StderrCap);

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_stdoutRemaining == 0)
        {
            if (_ended || !await ReadFrameHeaderAsync(cancellationToken))
            {
                _ended = true;
                return 0;
            }
        }

        var want = (int)Math.Min(_stdoutRemaining, buffer.Length);
        var n = await _connection.ReadAsync(buffer[..want], cancellationToken);
        if (n == 0)
        {
            throw new InvalidDataException($"The Docker exec stream ended inside a frame ({_stdoutRemaining} bytes missing).");
        }

        _stdoutRemaining -= n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _connection.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
        // Every write is flushed.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>EOF on the command's stdin; its output keeps coming.</summary>
    public void CloseWrite() => _connection.CloseWrite();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads headers, consuming stderr and error frames, until a stdout frame starts; false at the end.</summary>
    private async ValueTask<bool> ReadFrameHeaderAsync(CancellationToken cancellationToken)
    {
        var got = 0;
        while (got < _header.Length)
        {
            var n = await _connection.ReadAsync(_header.AsMemory(got), cancellationToken);
            if (n == 0)
            {
                if (got == 0)
                {
                    return false;
                }

                throw new InvalidDataException($"The Docker exec stream ended inside a frame header ({got} of {_header.Length} bytes).");
            }

            got += n;
        }

        var kind = _header[0];
        if (kind > DockerStreamDemultiplexer.SystemError || _header[1] != 0 || _header[2] != 0 || _header[3] != 0)
        {
            throw new InvalidDataException($"Unknown Docker stream frame header {Convert.ToHexString(_header)}.");
        }

        var size = (long)BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
        if (kind == DockerStreamDemultiplexer.Stdout)
        {
            _stdoutRemaining = size;
            return true;
        }

        var sink = kind == DockerStreamDemultiplexer.SystemError ? new BoundedOutputBuffer(StderrCap) : Stderr;
        while (size > 0)
        {
            var n = await _connection.ReadAsync(_discard.AsMemory(0, (int)Math.Min(size, _discard.Length)), cancellationToken);
            if (n == 0)
            {
                throw new InvalidDataException($"The Docker exec stream ended inside a frame ({size} bytes missing).");
            }

            if (kind != DockerStreamDemultiplexer.Stdin)
            {
                sink.Append(_discard.AsSpan(0, n));
            }

            size -= n;
        }

        if (kind == DockerStreamDemultiplexer.SystemError)
        {
            throw new SandboxRuntimeException($"Docker reported an error in the exec stream: {sink.ToText()}");
        }

        return true;
    }
}
