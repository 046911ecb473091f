using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Monitoring;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Sandboxes.Tests.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Monitoring;

/// <summary>
/// The admin feed on the fake runtime and a fake clock: what an update holds, one latest-wins channel per
/// subscriber, nothing running without a subscriber, rates and history from the runtime's counters.
/// </summary>
public sealed class SessionMonitorTests
{
    private static readonly TimeSpan s_timeout = SessionManagerHarness.Timeout;
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_statsInterval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Subscribe_FirstUpdate_HasEveryLiveSessionAndTheServerPanel()
    {
        await using var h = await HarnessAsync(new() { ["REMOLT_MAX_SESSION_LIFETIME"] = "7200", ["REMOLT_MAX_IDLE_SECONDS"] = "600" });
        var alices = await CreateAsync(h, "alice");
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var bobs = await CreateAsync(h, "bob");
        var monitor = Monitor(h);
        h.Services.GetRequiredService<TerminalClients>().Attach(bobs.Id); // one terminal open on bob's session

        await monitor.StartAsync(CancellationToken.None);
        try
        {
            using var subscription = monitor.Subscribe();
            var update = await ReadAsync(subscription);

            update.Sessions.Select(s => s.Id).ShouldBe([alices.Id, bobs.Id]);
            var bob = update.Sessions[1];
            bob.Owner.ShouldBe("bob");
            bob.AgentId.ShouldBe(bobs.AgentId);
            bob.State.ShouldBe(SessionState.Running);
            bob.CreatedAt.ShouldBe(bobs.CreatedAt);
            bob.LastActivity.ShouldBe(bobs.LastActivity);
            bob.AttachedClients.ShouldBe(1);
            update.Sessions[0].AttachedClients.ShouldBe(0);
            bob.IdleDeadline.ShouldBe(bobs.LastActivity + TimeSpan.FromSeconds(600));
            bob.Usage.ShouldBeNull(); // rates need two readings
            bob.CpuHistory.ShouldBeEmpty();

            var server = update.Server;
            server.Runtime.ShouldBe("fake");
            server.RuntimeAvailable.ShouldBeTrue();
            server.LiveSessions.ShouldBe(2);
            server.MaxSessions.ShouldBe(10);
            server.MaxSessionsPerUser.ShouldBe(2);
            server.WarmPoolTarget.ShouldBe(0);
            server.ProcessorCount.ShouldBe(Environment.ProcessorCount);
            server.LoadAverage.Count.ShouldBe(3); // Linux
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task IdleDeadline_LifetimeFirst_IsTheLifetimeEnd()
    {
        await using var h = await HarnessAsync(new() { ["REMOLT_MAX_SESSION_LIFETIME"] = "60", ["REMOLT_MAX_IDLE_SECONDS"] = "600" });
        var session = await CreateAsync(h, "alice");

        var update = Monitor(h).BuildUpdate(h.Manager.ListAll(), h.Time.GetUtcNow());

        update.Sessions.Single().IdleDeadline.ShouldBe(session.CreatedAt + TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task NoSubscriber_NothingRuns_UntilOneComes_AndStopsWhenItLeaves()
    {
        await using var h = await HarnessAsync();
        await CreateAsync(h, "alice");
        var monitor = Monitor(h);
        await monitor.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < 10; i++)
            {
                h.Time.Advance(s_statsInterval);
            }

            await Task.Delay(50);
            monitor.IsSampling.ShouldBeFalse();
            h.Runtime.StatsCalls.ShouldBe(0);

            var subscription = monitor.Subscribe();
            await ReadAsync(subscription);
            monitor.IsSampling.ShouldBeTrue();
            h.Runtime.StatsCalls.ShouldBe(1);

            subscription.Dispose();
            await Poll.UntilAsync(() => subscription.Reader.Completion.IsCompleted, s_timeout);
            h.Time.Advance(s_interval); // the loop notices at its next tick
            await Poll.UntilAsync(() => !monitor.IsSampling, s_timeout);
            var calls = h.Runtime.StatsCalls;
            for (var i = 0; i < 10; i++)
            {
                h.Time.Advance(s_statsInterval);
            }

            await Task.Delay(50);
            h.Runtime.StatsCalls.ShouldBe(calls);
            monitor.TrackedSessions.ShouldBe(0); // what it knew is dropped, not kept stale
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task SlowSubscriber_HoldsOnlyTheLatest_AndNeverHoldsUpTheOthers()
    {
        await using var h = await HarnessAsync();
        await CreateAsync(h, "alice");
        var monitor = Monitor(h);
        using var slow = monitor.Subscribe();
        using var fast = monitor.Subscribe();

        var published = new List<MonitorUpdate>();
        for (var i = 0; i < 5; i++)
        {
            await monitor.TickAsync(CancellationToken.None).WaitAsync(s_timeout);
            fast.Reader.TryRead(out var update).ShouldBeTrue();
            published.Add(update!);
            h.Time.Advance(s_interval);
        }

        published.Distinct().Count().ShouldBe(5);
        slow.Reader.TryRead(out var latest).ShouldBeTrue();
        latest.ShouldBeSameAs(published[^1]);
        slow.Reader.TryRead(out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Unsubscribe_CompletesTheReader_AndOthersKeepReceiving()
    {
        await using var h = await HarnessAsync();
        var monitor = Monitor(h);
        var leaving = monitor.Subscribe();
        using var staying = monitor.Subscribe();

        leaving.Dispose();
        leaving.Dispose(); // idempotent
        await monitor.TickAsync(CancellationToken.None).WaitAsync(s_timeout);

        await leaving.Reader.Completion.WaitAsync(s_timeout);
        staying.Reader.TryRead(out _).ShouldBeTrue();
        monitor.SubscriberCount.ShouldBe(1);
    }

    [Fact]
    public async Task SessionAppearsAndEnds_TheTableFollows_AndItsHistoryIsForgotten()
    {
        await using var h = await HarnessAsync();
        h.Runtime.Stats = _ => new SandboxStats(TimeSpan.Zero, 1000, null, 0, 0);
        var monitor = Monitor(h);
        using var subscription = monitor.Subscribe();
        var first = await CreateAsync(h, "alice");

        (await TickAsync(monitor, h, subscription)).Sessions.Select(s => s.Id).ShouldBe([first.Id]);
        var second = await CreateAsync(h, "bob");
        h.Time.Advance(s_statsInterval);
        (await TickAsync(monitor, h, subscription)).Sessions.Select(s => s.Id).ShouldBe([first.Id, second.Id]);
        await Poll.UntilAsync(() => monitor.TrackedSessions == 2, s_timeout);

        await h.Manager.EndAsync(first, "user", CancellationToken.None).WaitAsync(s_timeout);
        h.Time.Advance(s_statsInterval);
        (await TickAsync(monitor, h, subscription)).Sessions.Select(s => s.Id).ShouldBe([second.Id]);
        await Poll.UntilAsync(() => monitor.TrackedSessions == 1, s_timeout);
    }

    [Fact]
    public async Task Usage_RatesFromTheDeltasOfTwoReadings()
    {
        await using var h = await HarnessAsync();
        var session = await CreateAsync(h, "alice");
        var reading = new SandboxStats(TimeSpan.FromSeconds(10), 300_000_000, 1_000_000_000, 5_000, 1_000);
        h.Runtime.Stats = _ => reading;
        var monitor = Monitor(h);

        await RefreshAsync(monitor, h);
        Usage(monitor, h).ShouldBeNull();

        // 2 s later: 0.5 s more CPU (25 % of one core), 4 KB more received, 1 KB more sent.
        h.Time.Advance(s_statsInterval);
        reading = new SandboxStats(TimeSpan.FromSeconds(10.5), 310_000_000, 1_000_000_000, 9_000, 2_000);
        await RefreshAsync(monitor, h);

        var usage = Usage(monitor, h).ShouldNotBeNull();
        usage.CpuPercent.ShouldBe(25, tolerance: 0.01);
        usage.MemoryBytes.ShouldBe(310_000_000);
        usage.MemoryLimitBytes.ShouldBe(1_000_000_000);
        usage.NetworkRxBytesPerSecond.ShouldBe(2_000, tolerance: 0.01);
        usage.NetworkTxBytesPerSecond.ShouldBe(500, tolerance: 0.01);
        var snapshot = monitor.BuildUpdate(h.Manager.ListAll(), h.Time.GetUtcNow()).Sessions.Single(s => s.Id == session.Id);
        snapshot.CpuHistory.ShouldBe([25], tolerance: 0.01);
        snapshot.MemoryHistory.ShouldBe([310_000_000L]);
    }

    [Fact]
    public async Task History_IsBoundedToTheConfiguredWindow_OldestDropped()
    {
        // 10 s of history at one reading per 2 s: 5 samples.
        await using var h = await HarnessAsync(new() { ["REMOLT_MONITOR_HISTORY_SECONDS"] = "10" });
        await CreateAsync(h, "alice");
        var cpu = TimeSpan.Zero;
        var memory = 0L;
        h.Runtime.Stats = _ => new SandboxStats(cpu, memory, null, 0, 0);
        var monitor = Monitor(h);

        for (var i = 1; i <= 12; i++)
        {
            await RefreshAsync(monitor, h);
            h.Time.Advance(s_statsInterval);
            cpu += TimeSpan.FromSeconds(0.02 * i); // i % of one core over the next 2 s
            memory = i;
        }

        var snapshot = monitor.BuildUpdate(h.Manager.ListAll(), h.Time.GetUtcNow()).Sessions.Single();
        snapshot.CpuHistory.ShouldBe([7, 8, 9, 10, 11], tolerance: 0.01);
        snapshot.MemoryHistory.ShouldBe([7L, 8, 9, 10, 11]);
    }

    [Fact]
    public async Task FailingStats_TheLoopGoesOn_UsageUnknownThenBack_OtherSessionsUnaffected()
    {
        await using var h = await HarnessAsync();
        var broken = await CreateAsync(h, "alice");
        var fine = await CreateAsync(h, "bob");
        var failing = 1;
        var cpu = TimeSpan.Zero;
        h.Runtime.Stats = sandbox => sandbox == broken.SandboxId && Volatile.Read(ref failing) == 1
            ? throw new SandboxRuntimeException("engine hiccup")
            : new SandboxStats(cpu, 1, null, 0, 0);
        var monitor = Monitor(h);
        await monitor.StartAsync(CancellationToken.None);
        try
        {
            using var subscription = monitor.Subscribe();
            await ReadAsync(subscription); // the first tick waits for its refresh
            monitor.Cost.Refreshes.ShouldBe(1);
            for (var i = 0; i < 3; i++)
            {
                cpu += TimeSpan.FromSeconds(1);
                await StatsCycleAsync(monitor, h, subscription);
            }

            var update = monitor.BuildUpdate(h.Manager.ListAll(), h.Time.GetUtcNow());
            update.Sessions.Single(s => s.Id == broken.Id).Usage.ShouldBeNull();
            update.Sessions.Single(s => s.Id == fine.Id).Usage.ShouldNotBeNull().CpuPercent.ShouldBe(50, tolerance: 0.01);

            Volatile.Write(ref failing, 0);
            for (var i = 0; i < 2; i++)
            {
                cpu += TimeSpan.FromSeconds(1);
                await StatsCycleAsync(monitor, h, subscription);
            }

            update = monitor.BuildUpdate(h.Manager.ListAll(), h.Time.GetUtcNow());
            update.Sessions.Single(s => s.Id == broken.Id).Usage.ShouldNotBeNull().CpuPercent.ShouldBe(50, tolerance: 0.01);
            monitor.IsSampling.ShouldBeTrue();
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task CaptureScreenAsync_RunsCapturePaneOfTheWindow_UnknownSessionNotFound()
    {
        await using var h = await HarnessAsync();
        var session = await CreateAsync(h, "alice");
        var monitor = Monitor(h);

        (await monitor.CaptureScreenAsync(session.Id, 2, CancellationToken.None).WaitAsync(s_timeout)).ShouldBe("");

        var exec = h.Runtime.Execs[^1];
        exec.SandboxId.ShouldBe(session.SandboxId);
        exec.CommandLine.ShouldContain("tmux capture-pane -p -t '=main-2:'");
        exec.CommandLine.ShouldContain($"head -c {SessionMonitor.MaxScreenBytes}");
        await Should.ThrowAsync<SessionNotFoundException>(() => monitor.CaptureScreenAsync(SessionIds.New(), 0, CancellationToken.None));
        await Should.ThrowAsync<SessionNotFoundException>(() => monitor.CaptureScreenAsync("../etc", 0, CancellationToken.None));
    }

    private static Task<SessionManagerHarness> HarnessAsync(Dictionary<string, string?>? settings = null) =>
        SessionManagerHarness.CreateAsync(settings);

    private static SessionMonitor Monitor(SessionManagerHarness h) => h.Services.GetRequiredService<SessionMonitor>();

    private static Task<Session> CreateAsync(SessionManagerHarness h, string owner) =>
        h.Manager.CreateAsync(owner, new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);

    private static async Task<MonitorUpdate> ReadAsync(MonitorSubscription subscription) =>
        await subscription.Reader.ReadAsync().AsTask().WaitAsync(s_timeout);

    /// <summary>One tick by hand (the loop is not started), and the update it offered.</summary>
    private static async Task<MonitorUpdate> TickAsync(SessionMonitor monitor, SessionManagerHarness h, MonitorSubscription subscription)
    {
        await monitor.TickAsync(CancellationToken.None).WaitAsync(s_timeout);
        h.Time.Advance(s_interval);
        return await ReadAsync(subscription);
    }

    /// <summary>
    /// Four ticks of the running loop (one stats interval: the fourth starts a refresh), then waits for that refresh
    /// to finish before the clock moves again, so each reading is taken exactly 2 s after the one before.
    /// </summary>
    private static async Task StatsCycleAsync(SessionMonitor monitor, SessionManagerHarness h, MonitorSubscription subscription)
    {
        var refreshes = monitor.Cost.Refreshes;
        for (var step = TimeSpan.Zero; step < s_statsInterval; step += s_interval)
        {
            h.Time.Advance(s_interval);
            await ReadAsync(subscription);
        }

        await Poll.UntilAsync(() => monitor.Cost.Refreshes == refreshes + 1, s_timeout);
    }

    private static async Task RefreshAsync(SessionMonitor monitor, SessionManagerHarness h) =>
        await monitor.RefreshAsync(h.Manager.ListAll(), CancellationToken.None).WaitAsync(s_timeout);

    private static SandboxUsage? Usage(SessionMonitor monitor, SessionManagerHarness h) =>
        monitor.BuildUpdate(h.Manager.ListAll(), h.Time.GetUtcNow()).Sessions.Single().Usage;
}
