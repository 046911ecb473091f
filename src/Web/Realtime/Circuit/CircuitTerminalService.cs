using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Terminals;

namespace RemoltBlazor.Web.Realtime.Circuit;

/// <summary>
/// The terminals of one Blazor circuit (scoped: one instance per circuit). Components open terminals here rather than
/// talking to the attacher, so that when the circuit ends (tab closed, reconnect given up) the scope's disposal
/// detaches every tmux client that a component did not get to dispose.
/// </summary>
public sealed class CircuitTerminalService : IAsyncDisposable
{
    /// <summary>Terminals one circuit may hold at once (tabs of a workspace); each costs an exec and up to 5 x 64 KiB.</summary>
    public const int MaxTerminalsPerCircuit = 16;

    private readonly ITerminalAttacher _attacher;
    private readonly CircuitTerminalLog _log;
    private readonly Lock _gate = new();
    private readonly HashSet<CircuitTerminal> _terminals = [];
    private bool _disposed;

    public CircuitTerminalService(ITerminalAttacher attacher, ILogger<CircuitTerminalService> logger)
    {
        _attacher = attacher;
        _log = new CircuitTerminalLog(logger);
    }

    /// <summary>Number of terminals currently open on this circuit.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _terminals.Count;
            }
        }
    }

    /// <summary>
    /// A terminal for <paramref name="sessionId"/> window <paramref name="window"/>, not yet attached: run it with
    /// <see cref="CircuitTerminal.RunAsync"/> and dispose it when done.
    /// </summary>
    /// <param name="readOnly">An admin watching: <paramref name="caller"/> must hold the admin role (checked by the page).</param>
    /// <exception cref="InvalidOperationException">The circuit already holds <see cref="MaxTerminalsPerCircuit"/> terminals.</exception>
    public CircuitTerminal Open(string sessionId, string caller, int window, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_terminals.Count >= MaxTerminalsPerCircuit)
            {
                _log.TooManyTerminals(sessionId, MaxTerminalsPerCircuit);
                throw new InvalidOperationException($"At most {MaxTerminalsPerCircuit} terminals per browser tab.");
            }

            var terminal = new CircuitTerminal(sessionId, caller, window, _attacher, _log, Forget, TerminalOutputPump.DefaultMaxInFlight)
            {
                ReadOnly = readOnly,
            };
            _terminals.Add(terminal);
            return terminal;
        }
    }

    public async ValueTask DisposeAsync()
    {
        CircuitTerminal[] open;
        lock (_gate)
        {
            _disposed = true;
            open = [.. _terminals];
        }

        // Each DisposeAsync cancels and awaits its own run, so when this returns no pump is left running.
        await Task.WhenAll(open.Select(t => t.DisposeAsync().AsTask()));
    }

    private void Forget(CircuitTerminal terminal)
    {
        lock (_gate)
        {
            _terminals.Remove(terminal);
        }
    }
}
