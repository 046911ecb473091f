using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Sessions;

namespace RemoltBlazor.Sandboxes.Tests.EngineRestart;

/// <summary>
/// The server starting while the engine is away: the reconciliation waits for the engine instead of giving up, and
/// no session starts before it has run.
/// </summary>
public sealed class DeferredReconciliationTests
{
    [Fact]
    public async Task ReconcilerStart_RuntimeAway_DefersAndRefusesNewSessionsSayingWhy()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var reconciler = h.Services.GetServices<IHostedService>().OfType<SessionReconciler>().Single();
        var deferred = h.Services.GetRequiredService<DeferredReconciliation>();
        h.Runtime.Available = false;

        await reconciler.StartAsync(CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout);

        deferred.Pending.ShouldBeTrue();
        var ex = await Should.ThrowAsync<SessionRuntimeUnavailableException>(
            h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout));
        ex.Message.ShouldBe($"{SandboxProvisioner.EngineNotAnswering} (fake runtime is down)");
        h.Runtime.CreateCalls.ShouldBe(0);
    }

    [Fact]
    public async Task Loop_RuntimeBack_ReconcilesOnceThenAllowsSessions()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var deferred = h.Services.GetRequiredService<DeferredReconciliation>();
        h.Runtime.Available = false;
        var runs = 0;
        deferred.Defer(_ =>
        {
            runs++;
            return Task.CompletedTask;
        });
        using var stop = new CancellationTokenSource();
        await deferred.StartAsync(stop.Token);

        for (var tick = 0; tick < 3; tick++)
        {
            h.Time.Advance(DeferredReconciliation.RetryInterval);
            await Task.Delay(50);
        }

        runs.ShouldBe(0);
        deferred.Pending.ShouldBeTrue();

        h.Runtime.Available = true;
        for (var tick = 0; tick < 100 && deferred.Pending; tick++)
        {
            h.Time.Advance(DeferredReconciliation.RetryInterval);
            await Task.Delay(50);
        }

        deferred.Pending.ShouldBeFalse();
        runs.ShouldBe(1);
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout);
        session.State.ShouldBe(Data.Entities.SessionState.Running);
        await deferred.StopAsync(CancellationToken.None);
    }
}
