using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Sessions;

namespace RemoltBlazor.Sandboxes.Tests.Metrics;

/// <summary>What the session layer records into the <c>RemoltBlazor</c> meter, on the fake runtime and a fake clock.</summary>
public sealed class RemoltMetricsTests
{
    [Fact]
    public async Task CreateAsync_OkAndFailed_CountsEachWithAgentResultAndDuration()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        using var recorder = new MetricsRecorder(h.Services.GetRequiredService<RemoltMetrics>());

        await h.Manager.CreateAsync("alice", new CreateSessionRequest(SessionManagerHarness.TesterAgent), CancellationToken.None);
        h.Runtime.CreateFailure = new SandboxRuntimeException("no room");
        await Should.ThrowAsync<SessionCreateException>(() => h.Manager.CreateAsync("alice", new CreateSessionRequest(SessionManagerHarness.TesterAgent), CancellationToken.None));

        recorder.Sum("remolt.session.creates", ("agent", SessionManagerHarness.TesterAgent), ("result", "ok")).ShouldBe(1);
        recorder.Sum("remolt.session.creates", ("agent", SessionManagerHarness.TesterAgent), ("result", "failed")).ShouldBe(1);
        var durations = recorder.Measurements("remolt.session.create.duration");
        durations.Count.ShouldBe(2);
        durations.ShouldAllBe(d => d.Value >= 0 && d.Tags["agent"] == SessionManagerHarness.TesterAgent);
    }

    [Fact]
    public async Task SweepAsync_SandboxGone_CountsAReapBySandboxExited()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        using var recorder = new MetricsRecorder(h.Services.GetRequiredService<RemoltMetrics>());
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(SessionManagerHarness.TesterAgent), CancellationToken.None);
        await h.Runtime.RemoveAsync(session.SandboxId!, CancellationToken.None); // died behind the app's back

        await h.Services.GetRequiredService<SessionReaper>().SweepAsync(CancellationToken.None);

        recorder.Sum("remolt.session.reaps", ("reason", "sandbox_exited")).ShouldBe(1);
        recorder.Measurements("remolt.session.reaps").Count.ShouldBe(1);
    }

    [Fact]
    public async Task SessionsGauge_OneRunning_ReportsItAndZerosForEveryOtherAgentAndState()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var gauges = h.Services.GetServices<IHostedService>().OfType<SandboxGauges>().Single();
        await gauges.StartAsync(CancellationToken.None);
        using var recorder = new MetricsRecorder(h.Services.GetRequiredService<RemoltMetrics>());
        await h.Manager.CreateAsync("alice", new CreateSessionRequest(SessionManagerHarness.TesterAgent), CancellationToken.None);

        recorder.Observe();

        var sessions = recorder.Measurements("remolt.sessions");
        sessions.Single(m => m.Tags["agent"] == SessionManagerHarness.TesterAgent && m.Tags["state"] == "running").Value.ShouldBe(1);
        sessions.Where(m => !(m.Tags["agent"] == SessionManagerHarness.TesterAgent && m.Tags["state"] == "running")).ShouldAllBe(m => m.Value == 0);
        sessions.Select(m => m.Tags["agent"]).Distinct().Count().ShouldBeGreaterThan(1); // every agent of the catalog
        sessions.Select(m => m.Tags["state"]).Distinct().ShouldBe(["creating", "running", "ending"], ignoreOrder: true);
    }
}
