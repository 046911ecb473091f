using RemoltBlazor.Sandboxes.Local.Pty;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// A tmux client's PTY. Disposing ends the client (tmux detaches it); the tmux session keeps running in the sandbox.
/// </summary>
internal sealed class LocalTerminalStream(PtyProcess pty) : TerminalStream
{
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private readonly Lock _disposeLock = new();
    private Task<int>? _pendingRead;
    private int _bufferedOffset;
    private int _bufferedCount;
    private volatile Task? _disposal;

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

        if (_bufferedCount == 0)
        {
            _pendingRead ??= ReadPtyAsync();
            var n = await _pendingRead.WaitAsync(cancellationToken);
            _pendingRead = null;
            if (n == 0)
            {
                return 0;
            }

            _bufferedOffset = 0;
            _bufferedCount = n;
        }

        var count = Math.Min(buffer.Length, _bufferedCount);
        _readBuffer.AsMemory(_bufferedOffset, count).CopyTo(buffer);
        _bufferedOffset += count;
        _bufferedCount -= count;
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposal is not null, this);
        await pty.Stream.WriteAsync(data, cancellationToken);
    }

    public override Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposal is not null, this);
        pty.Resize(size);
        return Task.CompletedTask;
    }

    /// <summary>Idempotent; never throws.</summary>
    public override ValueTask DisposeAsync()
    {
        lock (_disposeLock)
        {
            _disposal ??= pty.DisposeAsync().AsTask();
            return new ValueTask(_disposal);
        }
    }

    private async Task<int> ReadPtyAsync()
    {
        try
        {
            return await pty.Stream.ReadAsync(_readBuffer, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return 0; // The client exited (EIO on the master) or the terminal was disposed.
        }
    }
}
