using Microsoft.Extensions.Logging;

namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// tmux clients a closed terminal could not detach because the runtime was away: with live-restore a dockerd restart
/// keeps the container (an API server restart keeps the pod), and the exec's tmux client stays attached inside it
/// (seen here with Docker: one more client per restart and per open terminal). They are detached at the next attach to
/// the same sandbox, when the runtime answers again.
/// Bounded; forgotten on a server restart (then they stay until tmux or the sandbox ends, as before).
/// </summary>
internal sealed class StaleTmuxClients
{
    private const int Cap = 256;
    private static readonly TimeSpan s_detachTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<string>> _markers = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Remembers the client whose tty the attach wrote to <paramref name="marker"/> in the sandbox.</summary>
    public void Add(string sandboxId, string marker)
    {
        lock (_gate)
        {
            if (_count >= Cap)
            {
                return;
            }

            if (!_markers.TryGetValue(sandboxId, out var list))
            {
                _markers[sandboxId] = list = [];
            }

            list.Add(marker);
            _count++;
        }
    }

    /// <summary>
    /// Detaches what <see cref="Add"/> remembered for the sandbox, running the detach script with
    /// <paramref name="runScript"/> (the runtime's own <c>sh -c</c> exec); a failure is logged and forgotten.
    /// </summary>
    public async Task DetachAsync(string sandboxId, Func<string, CancellationToken, Task> runScript, ILogger logger)
    {
        List<string>? stale;
        lock (_gate)
        {
            if (_markers.Remove(sandboxId, out stale))
            {
                _count -= stale.Count;
            }
        }

        if (stale is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(s_detachTimeout);
            var script = string.Join("; ", stale.Select(TmuxCommands.DetachScript));
            await runScript(script, timeout.Token);
        }
        catch (Exception ex) when (ex is SandboxRuntimeException or OperationCanceledException)
        {
            logger.LogInformation("Detaching {Count} stale tmux clients in {Sandbox} failed: {Reason}", stale.Count, sandboxId, ex.Message);
        }
    }
}
