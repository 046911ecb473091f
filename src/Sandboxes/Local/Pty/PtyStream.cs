using System.Net.Sockets;

namespace RemoltBlazor.Sandboxes.Local.Pty;

/// <summary>
/// The master side of a PTY as a duplex stream: reads are the terminal's output, writes its input.
/// <para>
/// The descriptor goes through a <see cref="Socket"/> because that is .NET's only readiness-based (epoll) I/O for a
/// descriptor it did not open: the socket engine uses read/write on descriptors that are not sockets (PipeStream does
/// the same for pipes on Unix). A FileStream would park a thread-pool thread in a blocking read() for as long as the
/// terminal is quiet, which for an idle tmux attach is hours. A pending read cancelled by its token consumes nothing.
/// </para>
/// <para>
/// Once every process holding the slave side has closed it, Linux answers a read on the master with EIO (after the
/// output still buffered has been read): that is the end of the stream, not an error. A disposed stream also reads 0,
/// so a reader racing a dispose simply sees the terminal end.
/// </para>
/// </summary>
internal sealed class PtyStream : Stream
{
    private readonly Socket _socket;
    private volatile bool _disposed;

    public PtyStream(Socket socket) => _socket = socket;

    public override bool CanRead => !_disposed;

    public override bool CanWrite => !_disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_disposed || buffer.IsEmpty)
        {
            return 0;
        }

        try
        {
            return await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (Exception ex) when (IsEnd(ex))
        {
            return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_disposed || buffer.IsEmpty)
        {
            return 0;
        }

        try
        {
            return _socket.Receive(buffer, SocketFlags.None);
        }
        catch (Exception ex) when (IsEnd(ex))
        {
            return 0;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            // SendAsync on a stream "socket" loops until everything is written.
            await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new IOException($"Writing to the terminal failed: {ex.Message}", ex);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            while (!buffer.IsEmpty)
            {
                buffer = buffer[_socket.Send(buffer, SocketFlags.None)..];
            }
        }
        catch (SocketException ex)
        {
            throw new IOException($"Writing to the terminal failed: {ex.Message}", ex);
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    // EIO (the slave side is closed for good) is not a socket error, so the socket layer reports it as the generic
    // SocketError.SocketError; a read on a PTY master fails with nothing else that is not handled below it (EAGAIN,
    // EINTR). A dispose racing the read aborts it. Cancellation is not an end: it is rethrown.
    private bool IsEnd(Exception ex) => ex switch
    {
        SocketException socket => socket.SocketErrorCode is SocketError.SocketError or SocketError.OperationAborted || _disposed,
        ObjectDisposedException => true,
        _ => false,
    };
}
