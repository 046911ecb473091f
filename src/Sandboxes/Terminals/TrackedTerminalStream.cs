using RemoltBlazor.Data.Events;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Terminals;

/// <summary>
/// A terminal whose traffic keeps its session alive and whose end is recorded (terminal.disconnected). Its first
/// reads return the captured history, then the live output.
/// </summary>
internal sealed class TrackedTerminalStream(
    TerminalStream inner, Session session, SessionManager sessions, EventLog events, int window, ReadOnlyMemory<byte> history) : TerminalStream
{
    private ReadOnlyMemory<byte> _history = history;
    private int _disposed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (!_history.IsEmpty)
        {
            var count = Math.Min(buffer.Length, _history.Length);
            _history[..count].CopyTo(buffer);
            _history = _history[count..];
            return count;
        }

        var read = await inner.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            sessions.Touch(session);
        }

        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        sessions.Touch(session);
        await inner.WriteAsync(data, cancellationToken);
    }

    public override Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken) => inner.ResizeAsync(size, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await inner.DisposeAsync();
        await events.EmitAsync("terminal.disconnected", EventFields.Of(("session_id", session.Id), ("window", window)));
    }
}
