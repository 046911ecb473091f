using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// Every <c>REMOLT_CLEANUP_INTERVAL</c>: ends sessions whose sandbox died behind the app's back
/// (<c>sandbox_exited</c>), counts output and CPU work inside each sandbox as activity whether or not a browser is
/// attached, warns connected users before an idle or lifetime end, ends sessions idle for <c>REMOLT_MAX_IDLE_SECONDS</c>
/// (<c>idle</c>) or older than <c>REMOLT_MAX_SESSION_LIFETIME</c> (<c>lifetime</c>), and saves activity times so a
/// restart does not reset them. A failing sweep is logged and the next one runs.
/// </summary>
internal sealed partial class SessionReaper(
    SessionManager sessions,
    ISandboxRuntime runtime,
    IOptions<SessionOptions> options,
    TimeProvider timeProvider,
    RemoltMetrics metrics,
    ILogger<SessionReaper> logger) : BackgroundService
{
    private readonly SandboxActivityProbe _probe = new(runtime);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <summary>One sweep; the loop above calls it, tests call it directly after moving a fake clock.</summary>
    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var running = sessions.Snapshot().Where(s => s.State == SessionState.Running && s.SandboxId is not null).ToList();
        var alive = await ListAliveAsync(cancellationToken);
        foreach (var session in running)
        {
            if (alive is not null && !alive.Contains(session.SandboxId!))
            {
                LogSandboxGone(logger, session.Id, session.SandboxId!);
                await EndAsync(session, "sandbox_exited", cancellationToken);
                continue;
            }

            await ProbeActivityAsync(session, settings, cancellationToken);
            var now = timeProvider.GetUtcNow();
            var (deadline, reason) = settings.EndDeadline(session.CreatedAt, session.LastActivity);

            if (now >= deadline)
            {
                await EndAsync(session, reason, cancellationToken);
            }
            else if (now >= deadline - settings.IdleWarning)
            {
                _warned.Add(session.Id);
                sessions.Notices.Publish(new SessionEndingSoon(session.Id, deadline, reason));
            }
            else if (_warned.Remove(session.Id))
            {
                sessions.Notices.Publish(new SessionKeptAlive(session.Id));
            }
        }

        await sessions.PersistActivityAsync(cancellationToken);
    }

    private async Task<HashSet<string>?> ListAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sandboxes = await runtime.ListManagedAsync(cancellationToken);
            return [.. sandboxes.Where(s => s.Running).Select(s => s.SandboxId)];
        }
        catch (SandboxRuntimeException ex)
        {
            // The runtime itself is down: that is not a reason to end anybody's session.
            LogListFailed(logger, ex.Message);
            return null;
        }
    }

    private async Task ProbeActivityAsync(Session session, SessionOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            if (await _probe.WasActiveAsync(session.SandboxId!, settings.ActivityCpuPercent, cancellationToken))
            {
                sessions.Touch(session);
            }
        }
        catch (Exception ex) when (ex is SandboxRuntimeException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogProbeFailed(logger, session.Id, ex.Message);
        }
    }

    private async Task EndAsync(Session session, string reason, CancellationToken cancellationToken)
    {
        _warned.Remove(session.Id);
        _probe.Forget(session.SandboxId!);
        if (await sessions.EndAsync(session, reason, cancellationToken))
        {
            metrics.SessionReaped(reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Session sweep failed; the next one runs on schedule")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox {SandboxId} of session {SessionId} is gone")]
    private static partial void LogSandboxGone(ILogger logger, string sessionId, string sandboxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing sandboxes failed ({Reason}); liveness not checked this sweep")]
    private static partial void LogListFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Activity probe of session {SessionId} failed: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string sessionId, string reason);
}
