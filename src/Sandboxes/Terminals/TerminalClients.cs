namespace RemoltBlazor.Sandboxes.Terminals;

/// <summary>
/// How many terminal clients (browser tabs over the circuit, raw WebSocket clients, read-only viewers) are attached
/// to each session right now. The attacher takes a lease per stream it hands out and the stream returns it when
/// disposed; a lease returns once, so a count never goes negative, and a session with none has no entry.
/// </summary>
public sealed class TerminalClients
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int CountOf(string sessionId)
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault(sessionId);
        }
    }

    /// <summary>Counts one more client of the session until the lease is disposed.</summary>
    internal IDisposable Attach(string sessionId)
    {
        lock (_gate)
        {
            _counts[sessionId] = _counts.GetValueOrDefault(sessionId) + 1;
        }

        return new Lease(this, sessionId);
    }

    private void Detach(string sessionId)
    {
        lock (_gate)
        {
            if (_counts.TryGetValue(sessionId, out var count) && count > 1)
            {
                _counts[sessionId] = count - 1;
            }
            else
            {
                _counts.Remove(sessionId);
            }
        }
    }

    private sealed class Lease(TerminalClients owner, string sessionId) : IDisposable
    {
        private int _returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                owner.Detach(sessionId);
            }
        }
    }
}
