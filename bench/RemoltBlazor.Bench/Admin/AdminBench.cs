using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Bench.Cdp;
using RemoltBlazor.Sandboxes.Monitoring;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Bench.Admin;

/// <summary>
/// The admin page under load (bench/README.md, "Admin page"): the app with N sessions of which half print lines into
/// tmux all the time, measured over a fixed window twice, without and with <c>/admin</c> open in headless Chromium:
/// server CPU (this process: the app and the bench's own small DevTools client), the page's render rate, and the
/// session monitor's own cost. Then the same with twice the sessions, to see that both stay bounded.
/// </summary>
internal sealed class AdminBench(AdminBenchOptions options)
{
    // About forty lines a second per streaming session (a timestamp and a row of numbers, every 50 ms): tmux, the
    // activity probe and any attached client see a steadily changing screen.
    private const string StreamScript =
        "echo 'while :; do date +%T.%N; seq -s, 1 25; sleep 0.05; done' > /tmp/remolt-bench-stream.sh; " +
        "tmux new-session -d -s main 'bash /tmp/remolt-bench-stream.sh'";

    private readonly List<string> _notes = [];

    public async Task<AdminBenchResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim();
        var clock = Stopwatch.StartNew();
        Log.Info("sandbox image…");
        await RemoltBlazor.TestSupport.SandboxImage.EnsureBuiltAsync().WaitAsync(TimeSpan.FromMinutes(15), cancellationToken);
        var most = options.Scales.Max();
        await using var app = new BenchApp(new Dictionary<string, string>
        {
            ["REMOLT_MAX_SESSIONS"] = (most + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REMOLT_MAX_USER_SESSIONS"] = (most + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var baseAddress = app.BaseAddress;
        var monitor = app.Services.GetRequiredService<SessionMonitor>();
        Log.Info($"app on {baseAddress}");
        var sessions = new List<Session>();
        await using var chromium = await ChromiumProcess.LaunchAsync("/usr/bin/chromium", TimeSpan.FromSeconds(30));
        await using var browser = await CdpConnection.ConnectAsync(chromium.DebuggerUrl, cancellationToken);
        try
        {
            var scales = new List<AdminScale>();
            foreach (var count in options.Scales)
            {
                await GrowAsync(app.Sessions, sessions, count, cancellationToken);
                if (scales.Count == 0)
                {
                    // The app's first admin page compiles its render paths: not part of any window.
                    Log.Info("warm-up: the admin page open for 10 s");
                    await using var warmup = await CdpPage.CreateAsync(browser, 1920, 1080);
                    var warmupProbe = new AdminPageProbe(warmup);
                    await warmupProbe.OpenAsync(baseAddress, count, TimeSpan.FromSeconds(60));
                    await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
                    await CloseAsync(warmupProbe, monitor, cancellationToken);
                }

                Log.Info($"{count} sessions ({count / 2} streaming); settling {options.Settle.TotalSeconds:F0} s");
                await Task.Delay(options.Settle, cancellationToken);

                Log.Info("window without the admin page");
                var closed = await MeasureAsync(monitor, probe: null, cancellationToken);
                if (closed.MonitorTicks != 0)
                {
                    Note($"{count} sessions: the monitor ticked {closed.MonitorTicks} times with no page open");
                }

                await using var page = await CdpPage.CreateAsync(browser, 1920, 1080);
                var probe = new AdminPageProbe(page);
                await probe.OpenAsync(baseAddress, count, TimeSpan.FromSeconds(60));
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken); // past the page's first renders and their JIT
                Log.Info("window with the admin page open");
                var open = await MeasureAsync(monitor, probe, cancellationToken);
                var withCpu = await probe.RowsWithCpuAsync();
                if (withCpu < count)
                {
                    Note($"{count} sessions: only {withCpu} rows showed a CPU number at the end of the window");
                }

                foreach (var problem in page.Problems.Distinct().Take(5))
                {
                    Note($"browser console ({count} sessions): {problem}");
                }

                await CloseAsync(probe, monitor, cancellationToken);
                scales.Add(new AdminScale(count, count / 2, closed, open));
            }

            return new AdminBenchResult(started, Stats.Round(clock.Elapsed.TotalSeconds, 1), Environment.ProcessorCount, loadBefore,
                (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim(), options.Window.TotalSeconds, scales, _notes);
        }
        finally
        {
            Log.Info($"ending {sessions.Count} sessions");
            foreach (var session in sessions)
            {
                await app.Sessions.EndAsync(session, "user", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            }
        }
    }

    /// <summary>Creates sessions up to <paramref name="count"/>, two at a time; every other one streams.</summary>
    private static async Task GrowAsync(SessionManager manager, List<Session> sessions, int count, CancellationToken cancellationToken)
    {
        while (sessions.Count < count)
        {
            var batch = Enumerable.Range(0, Math.Min(2, count - sessions.Count)).Select(async _ =>
            {
                var session = await manager.CreateAsync("anonymous", new CreateSessionRequest(), cancellationToken).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
                return session;
            });
            foreach (var session in await Task.WhenAll(batch))
            {
                if (sessions.Count % 2 == 0)
                {
                    await new Sandbox($"remolt-{session.Id}").ExecAsync(StreamScript);
                }

                sessions.Add(session);
                Log.Info($"session {sessions.Count}/{count}: {session.Id}");
            }
        }
    }

    /// <summary>
    /// Leaves the page the way a user's tab does (navigating away sends Blazor's disconnect beacon; a browser context
    /// that just goes away leaves the circuit, and its subscription, to the server's disconnected-circuit retention),
    /// and waits until the monitor has no subscriber left.
    /// </summary>
    private async Task CloseAsync(AdminPageProbe probe, SessionMonitor monitor, CancellationToken cancellationToken)
    {
        await probe.LeaveAsync(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        while (monitor.SubscriberCount > 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100, cancellationToken);
        }

        if (monitor.SubscriberCount > 0)
        {
            Note($"the monitor still had {monitor.SubscriberCount} subscriber(s) 30 s after the admin page was left");
        }
    }

    private async Task<AdminWindow> MeasureAsync(SessionMonitor monitor, AdminPageProbe? probe, CancellationToken cancellationToken)
    {
        var costBefore = monitor.Cost;
        var countsBefore = probe is null ? default : await probe.ReadAsync();
        var cpuBefore = CpuSampler.Snapshot();
        var clock = Stopwatch.StartNew();
        await Task.Delay(options.Window, cancellationToken);
        var cpu = CpuSampler.Delta(cpuBefore, CpuSampler.Snapshot());
        var seconds = clock.Elapsed.TotalSeconds;
        var countsAfter = probe is null ? default : await probe.ReadAsync();
        var cost = monitor.Cost;

        double? PerSecond(long before, long after) => probe is null ? null : Stats.Round((after - before) / ((countsAfter.PageMs - countsBefore.PageMs) / 1000));
        return new AdminWindow(
            Stats.Round(seconds, 1),
            cpu,
            Stats.Round(cpu.GetValueOrDefault(CpuSampler.SelfGroup) / seconds * 100, 1),
            PerSecond(countsBefore.GridFrames, countsAfter.GridFrames),
            PerSecond(countsBefore.PageFrames, countsAfter.PageFrames),
            PerSecond(countsBefore.GridCallbacks, countsAfter.GridCallbacks),
            cost.Ticks - costBefore.Ticks,
            Stats.Round((cost.TickTime - costBefore.TickTime).TotalMilliseconds, 1),
            cost.Refreshes - costBefore.Refreshes,
            Stats.Round((cost.RefreshTime - costBefore.RefreshTime).TotalMilliseconds, 1));
    }

    private void Note(string message)
    {
        Log.Info($"note: {message}");
        _notes.Add(message);
    }
}

internal sealed record AdminBenchOptions(IReadOnlyList<int> Scales, TimeSpan Window, TimeSpan Settle);

internal sealed record AdminBenchResult(
    DateTimeOffset StartedAt, double DurationSeconds, int ProcessorCount, string LoadAverageBefore, string LoadAverageAfter,
    double WindowSeconds, IReadOnlyList<AdminScale> Scales, IReadOnlyList<string> Notes);

internal sealed record AdminScale(int Sessions, int Streaming, AdminWindow PageClosed, AdminWindow PageOpen);

/// <param name="ServerCpuPercent">This process (the app, and the bench's DevTools client) in percent of one core.</param>
/// <param name="GridFramesPerSecond">Animation frames in which the sessions grid's DOM had changed.</param>
/// <param name="PageFramesPerSecond">The same for the whole admin page (server panel included).</param>
/// <param name="GridCallbacksPerSecond">MutationObserver callbacks on the grid: about one per Blazor render batch.</param>
/// <param name="MonitorTickMs">Wall time inside the monitor's ticks during the window (building and offering updates).</param>
/// <param name="MonitorRefreshMs">Wall time of its stats refreshes (mostly waiting for the engine's answers).</param>
internal sealed record AdminWindow(
    double Seconds,
    IReadOnlyDictionary<string, double> CpuSeconds,
    double ServerCpuPercent,
    double? GridFramesPerSecond,
    double? PageFramesPerSecond,
    double? GridCallbacksPerSecond,
    long MonitorTicks,
    double MonitorTickMs,
    long MonitorRefreshes,
    double MonitorRefreshMs);
