using RemoltBlazor.Data.Events;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Terminals;

/// <summary>
/// A terminal whose traffic keeps its session alive and whose end is recorded (terminal.disconnected). Its first
/// reads return the captured history, then the live output. A read-only one (an admin watching) drops what is
/// written to it and keeps nothing alive. Both transports read and write here, so this is where the bytes are counted
/// (history included: it is output the client receives). Disposing returns its <paramref name="clientLease"/> (the attached count).
/// </summary>
internal sealed class TrackedTerminalStream(
    TerminalStream inner, Session session, SessionManager sessions, EventLog events, RemoltMetrics metrics, int window, ReadOnlyMemory<byte> history,
    IDisposable clientLease, bool readOnly) : TerminalStream
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
            metrics.TerminalOutput(count);
            return count;
        }

        var read = await inner.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            metrics.TerminalOutput(read);
            if (!readOnly)
            {
                sessions.Touch(session);
            }
        }

        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (readOnly)
        {
            // The tmux client is read-only as well; this holds even where a runtime's terminal has no such mode.
            return;
        }

        sessions.Touch(session);
        metrics.TerminalInput(data.Length);
        await inner.WriteAsync(data, cancellationToken);
    }

    public override Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken) => inner.ResizeAsync(size, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        clientLease.Dispose();
        await inner.DisposeAsync();
        await events.EmitAsync("terminal.disconnected", readOnly
            ? EventFields.Of(("session_id", session.Id), ("window", window), ("read_only", true))
            : EventFields.Of(("session_id", session.Id), ("window", window)));
    }
}
