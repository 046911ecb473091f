using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Data;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// At start, matches the database with what the runtime runs: live sessions whose sandbox still runs are taken back
/// (<c>session.recovered</c>); sessions whose sandbox vanished while the server was down end as <c>lost</c>;
/// half-created and half-ended ones are finished off; managed sandboxes that no live session owns (orphans,
/// ownerless, leftovers of a crash) are removed with their networks. Sandboxes are matched by the id the database
/// recorded, never by label alone (labels are immutable in Docker: that is how the original destroyed claimed
/// warm sandboxes), and only sandboxes labelled with this instance's id are adopted or removed: a row whose sandbox
/// belongs to another instance (a backup restored on a second server) ends as <c>lost</c> and the sandbox is left alone.
/// </summary>
internal sealed partial class SessionReconciler(
    SessionManager sessions,
    ISandboxRuntime runtime,
    InstanceIdentity instance,
    SessionStore store,
    EventLog events,
    TimeProvider timeProvider,
    ILogger<SessionReconciler> logger,
    DeferredReconciliation deferred) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var probe = await runtime.ProbeAsync(cancellationToken);
        var rows = await store.ListLiveAsync(cancellationToken);
        if (!probe.Available)
        {
            // Nothing can be checked: keep the rows as they are, and do all this once the runtime answers.
            LogRuntimeDown(logger, rows.Count, probe.Detail);
            deferred.Defer(StartAsync);
            return;
        }

        IReadOnlyList<SandboxInfo> sandboxes;
        try
        {
            sandboxes = await runtime.ListManagedAsync(cancellationToken);
        }
        catch (SandboxRuntimeException ex)
        {
            LogListFailed(logger, ex);
            return;
        }

        // Only this instance's sandboxes count: a restored copy of the database on another server (or two servers on
        // one engine) names sandboxes it does not own, and must neither adopt nor remove them.
        var mine = sandboxes.Where(s => string.Equals(s.InstanceId, instance.Id, StringComparison.Ordinal)).ToList();
        var byId = mine.ToDictionary(s => s.SandboxId, StringComparer.Ordinal);
        var listed = sandboxes.Select(s => s.SandboxId).ToHashSet(StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var sandbox = row.SandboxId is null ? null : byId.GetValueOrDefault(row.SandboxId);
            if (row.State == SessionState.Running && sandbox is { Running: true } && row.Owner.Length > 0)
            {
                var session = sessions.Adopt(row);
                kept.Add(sandbox.SandboxId);
                LogRecovered(logger, session.Id, sandbox.SandboxId);
                await events.EmitAsync("session.recovered", EventFields.Of(("session_id", session.Id), ("agent_type", session.AgentId)));
                continue;
            }

            var othersSandbox = sandbox is null && row.SandboxId is not null && listed.Contains(row.SandboxId);
            if (othersSandbox)
            {
                LogNotMine(logger, row.Id, row.SandboxId!);
            }

            var reason = row.State switch
            {
                SessionState.Creating => "create_failed",
                SessionState.Ending => row.EndReason ?? "user",
                _ when row.Owner.Length == 0 => "ownerless",
                _ => "lost",
            };
            // A sandbox that no longer exists cannot be taken from anyone: removing it only clears what it left (its
            // network, which the engine refuses to remove while anything is attached to it), as before.
            await EndRowAsync(row, othersSandbox ? null : row.SandboxId, reason, cancellationToken);
        }

        foreach (var sandbox in mine.Where(s => !kept.Contains(s.SandboxId)))
        {
            LogOrphan(logger, sandbox.SandboxId, sandbox.SessionId ?? "(none)");
            await RemoveQuietlyAsync(sandbox.SandboxId, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Ends the row; <paramref name="removable"/> (a sandbox of this instance, or one that is gone) is removed.</summary>
    private async Task EndRowAsync(SessionRecord row, string? removable, string reason, CancellationToken cancellationToken)
    {
        if (removable is not null)
        {
            await RemoveQuietlyAsync(removable, cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        row.State = SessionState.Ended;
        row.EndReason = reason;
        row.EndedAt = now;
        await store.UpdateAsync(row, cancellationToken);
        LogEnded(logger, row.Id, reason);
        await events.EmitAsync("session.ended", EventFields.Of(
            ("session_id", row.Id), ("reason", reason), ("duration_s", (long)Math.Round((now - row.CreatedAt).TotalSeconds))));
    }

    private async Task RemoveQuietlyAsync(string sandboxId, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.RemoveAsync(sandboxId, cancellationToken);
        }
        catch (SandboxRuntimeException ex)
        {
            LogRemoveFailed(logger, sandboxId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox runtime unavailable at start ({Detail}); {Count} live sessions wait until it answers")]
    private static partial void LogRuntimeDown(ILogger logger, int count, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing managed sandboxes failed; nothing reconciled")]
    private static partial void LogListFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered session {SessionId} in sandbox {SandboxId}")]
    private static partial void LogRecovered(ILogger logger, string sessionId, string sandboxId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} ended at start: {Reason}")]
    private static partial void LogEnded(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}'s sandbox {SandboxId} belongs to another instance (a restored database?): left alone, the session ends as lost here")]
    private static partial void LogNotMine(ILogger logger, string sessionId, string sandboxId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removing orphan sandbox {SandboxId} (labelled session {SessionId})")]
    private static partial void LogOrphan(ILogger logger, string sandboxId, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing sandbox {SandboxId} failed")]
    private static partial void LogRemoveFailed(ILogger logger, string sandboxId, Exception exception);
}
