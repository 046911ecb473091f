using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Operations;

/// <summary>One check of <c>/health/ready</c>: its name, whether it passed, and a sentence an operator understands.</summary>
internal sealed record ReadinessCheck(string Name, bool Ok, string Detail);

/// <summary>The answer of <c>/health/ready</c>: <c>ready</c> only when every check passed.</summary>
internal sealed record ReadinessReport(string Status, IReadOnlyList<ReadinessCheck> Checks)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Ready => Status == "ready";
}

/// <summary>
/// What <c>/health/ready</c> checks: the database answers a real read (the migrations table, so a file that is not
/// SQLite or not migrated fails) and the sandbox runtime answers its probe. Each has a short timeout so a hung
/// engine cannot hang the probe. The runtime's answer is shared for <see cref="RuntimeProbeCacheDuration"/>: a load
/// balancer or a storm of probes costs the engine one call per period, not one per request.
/// </summary>
internal sealed partial class ReadinessChecks(
    IDbContextFactory<RemoltDbContext> databases, IOptions<DataOptions> data, ISandboxRuntime runtime, TimeProvider timeProvider,
    ILogger<ReadinessChecks> logger)
{
    public static readonly TimeSpan RuntimeProbeCacheDuration = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan s_checkTimeout = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private Task<ReadinessCheck>? _runtimeCheck;
    private long _runtimeCheckedAt;
    private int _lastReady = 1;

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var database = CheckDatabaseAsync(cancellationToken);
        var sandboxes = CheckRuntimeAsync();
        ReadinessCheck[] checks = [await database, await sandboxes.WaitAsync(cancellationToken)];
        var ready = checks.All(c => c.Ok);

        // Logged when the answer changes, not per probe: a balancer asks every few seconds.
        if (Interlocked.Exchange(ref _lastReady, ready ? 1 : 0) != (ready ? 1 : 0))
        {
            if (ready)
            {
                LogReadyAgain(logger);
            }
            else
            {
                LogUnready(logger, string.Join("; ", checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")));
            }
        }

        return new ReadinessReport(ready ? "ready" : "unready", checks);
    }

    private async Task<ReadinessCheck> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        var path = data.Value.DatabasePath;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_checkTimeout);
            await using var db = await databases.CreateDbContextAsync(timeout.Token);
            var migrations = await db.Database
                .SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM \"__EFMigrationsHistory\"")
                .SingleAsync(timeout.Token)
                .WaitAsync(s_checkTimeout, timeout.Token);
            return new ReadinessCheck("database", true, $"SQLite database at {path} answers ({migrations} migrations applied)");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var why = ex is TimeoutException or OperationCanceledException ? $"did not answer within {s_checkTimeout.TotalSeconds:0} s" : ex.Message;
            return new ReadinessCheck("database", false, $"The SQLite database at {path} cannot be read: {why}");
        }
    }

    private Task<ReadinessCheck> CheckRuntimeAsync()
    {
        lock (_gate)
        {
            // Shared while fresh, including while still running: concurrent probes wait for the same engine call.
            if (_runtimeCheck is null || timeProvider.GetElapsedTime(_runtimeCheckedAt) >= RuntimeProbeCacheDuration)
            {
                _runtimeCheckedAt = timeProvider.GetTimestamp();
                _runtimeCheck = ProbeRuntimeAsync();
            }

            return _runtimeCheck;
        }
    }

    private async Task<ReadinessCheck> ProbeRuntimeAsync()
    {
        // Not tied to one request's token: other requests share this answer.
        using var timeout = new CancellationTokenSource(s_checkTimeout, timeProvider);
        try
        {
            var probe = await runtime.ProbeAsync(timeout.Token).WaitAsync(s_checkTimeout, timeProvider);
            return new ReadinessCheck("runtime", probe.Available, probe.Detail);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            return new ReadinessCheck("runtime", false, $"The {runtime.Name} sandbox runtime did not answer within {s_checkTimeout.TotalSeconds:0} s");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: {Reasons}")]
    private static partial void LogUnready(ILogger logger, string reasons);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready again: every readiness check passes")]
    private static partial void LogReadyAgain(ILogger logger);
}
