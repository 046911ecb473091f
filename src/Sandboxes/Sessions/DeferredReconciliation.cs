using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// The start's reconciliation when the runtime did not answer then (the server and a Docker engine restarting
/// together, a reboot): tried again every <see cref="RetryInterval"/> until the runtime answers, so the sessions from
/// before are taken back without another server restart. While it is <see cref="Pending"/> new sessions are refused:
/// the reconciliation takes every live row of the database for one from before, and must not meet half-created ones.
/// </summary>
public sealed partial class DeferredReconciliation(ISandboxRuntime runtime, TimeProvider timeProvider, ILogger<DeferredReconciliation> logger)
    : BackgroundService
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource<Func<CancellationToken, Task>> _deferred = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _pending;
    private volatile bool _deferredAgain;

    /// <summary>Whether sessions from before the start may still be waiting to be taken back.</summary>
    public bool Pending => _pending;

    /// <summary>Runs <paramref name="reconcile"/> once the runtime answers; it may defer itself again.</summary>
    public void Defer(Func<CancellationToken, Task> reconcile)
    {
        _pending = true;
        _deferredAgain = true;
        _deferred.TrySetResult(reconcile);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reconcile = await _deferred.Task.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(RetryInterval, timeProvider);
        while (_pending && await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (!(await runtime.ProbeAsync(stoppingToken)).Available)
                {
                    continue;
                }

                _deferredAgain = false;
                await reconcile(stoppingToken);
                // Still pending if the runtime went away again between the probe and the reconciliation's own.
                _pending = _deferredAgain;
                if (!_pending)
                {
                    LogDone(logger);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The sandbox runtime answers again: sessions from before the start reconciled")]
    private static partial void LogDone(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deferred reconciliation failed; tried again in a moment")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
