using RemoltBlazor.Sandboxes.Local.Pty;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// A tmux client's PTY. Disposing ends the client (tmux detaches it); the tmux session keeps running in the sandbox.
/// </summary>
internal sealed class LocalTerminalStream : TerminalStream
{
    private readonly PtyProcess _pty;
    private readonly DetachedReader _reader;
    private readonly Lock _disposeLock = new();
    private volatile Task? _disposal;

    public LocalTerminalStream(PtyProcess pty)
    {
        _pty = pty;
        _reader = new DetachedReader(ReadPtyAsync, 64 * 1024);
    }

    /// <summary>
    /// Single reader; 0 when the client ended. A cancelled read loses nothing: the PTY is read without a token into a
    /// buffer of our own and only the wait for it is cancelled.
    /// </summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_disposal is not null)
        {
            return 0;
        }

        return await _reader.ReadAsync(buffer, cancellationToken);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposal is not null, this);
        await _pty.Stream.WriteAsync(data, cancellationToken);
    }

    public override Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposal is not null, this);
        _pty.Resize(size);
        return Task.CompletedTask;
    }

    /// <summary>Idempotent; never throws.</summary>
    public override ValueTask DisposeAsync()
    {
        lock (_disposeLock)
        {
            _disposal ??= _pty.DisposeAsync().AsTask();
            return new ValueTask(_disposal);
        }
    }

    private async Task<int> ReadPtyAsync(Memory<byte> buffer)
    {
        try
        {
            return await _pty.Stream.ReadAsync(buffer, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return 0; // The client exited (EIO on the master) or the terminal was disposed.
        }
    }
}
