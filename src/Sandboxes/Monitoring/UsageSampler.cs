using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Monitoring;

/// <summary>
/// Reads every running session's stats from the runtime and keeps each one's <see cref="UsageSeries"/>; a session
/// that is no longer live is forgotten at the next refresh. One that fails or hangs costs only its own session's
/// numbers.
/// </summary>
internal sealed partial class UsageSampler(ISandboxRuntime runtime, int historyLength, TimeProvider time, ILogger logger)
{
    // The reads run side by side: Docker 20.10 answers even a one-shot read only at its stats collector's next
    // one-second round (measured: 1.0 s each after the first), so they cost waiting, not work, and read one after
    // another 20 sessions took 5 s with four at a time. All of them wait for the same round when they run together.
    private const int MaxParallelReads = 32;
    private static readonly TimeSpan s_readTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, UsageSeries> _series = new(StringComparer.Ordinal);

    public int Count => _series.Count;

    public UsageView ViewOf(string sessionId) => _series.TryGetValue(sessionId, out var series) ? series.View : UsageView.Empty;

    public async Task RefreshAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken)
    {
        var live = sessions.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _series.Keys.Where(id => !live.Contains(id)))
        {
            _series.TryRemove(gone, out _);
        }

        var running = sessions.Where(s => s.IsRunning && s.SandboxId is not null).ToList();
        await Parallel.ForEachAsync(running, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelReads, CancellationToken = cancellationToken },
            (session, token) => new ValueTask(ReadAsync(session, token)));
    }

    /// <summary>Drops every series (the monitor went idle: the next watcher starts fresh rather than from stale readings).</summary>
    public void Clear() => _series.Clear();

    private async Task ReadAsync(Session session, CancellationToken cancellationToken)
    {
        var series = _series.GetOrAdd(session.Id, _ => new UsageSeries(historyLength));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_readTimeout);
            var stats = await runtime.GetStatsAsync(session.SandboxId!, timeout.Token);
            if (stats is null)
            {
                series.MarkUnknown();
            }
            else
            {
                series.Add(stats, time.GetTimestamp(), time);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever one sandbox's read does, the others and the next refresh go on; said once per failing streak.
            if (series.MarkUnknown())
            {
                LogReadFailed(logger, session.Id, ex);
            }
        }

        if (!session.IsRunning)
        {
            _series.TryRemove(session.Id, out _); // Ended while it was read: do not bring it back.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the resource use of session {SessionId} failed; shown as unknown until it works again")]
    private static partial void LogReadFailed(ILogger logger, string sessionId, Exception exception);
}
