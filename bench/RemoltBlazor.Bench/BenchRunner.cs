using System.Diagnostics;
using System.Globalization;
using RemoltBlazor.Bench.Cdp;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Bench;

/// <summary>
/// One run: the app, one session (one sandbox, one tmux session <c>main</c>), three paths into it, measured in turn
/// so that exactly one tmux client is attached at any time (tmux paces every client of a pane together).
/// </summary>
internal sealed class BenchRunner(BenchOptions options)
{
    private const int EchoLineLength = 40;
    private const int EchoRounds = 4;
    private readonly List<string> _notes = [];

    public async Task<BenchResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim();
        var clock = Stopwatch.StartNew();
        Log.Info("sandbox image…");
        var image = await RemoltBlazor.TestSupport.SandboxImage.EnsureBuiltAsync().WaitAsync(TimeSpan.FromMinutes(15), cancellationToken);
        var dockerServer = (await Docker.RunAsync(["version", "--format", "{{.Server.Version}}"], TimeSpan.FromSeconds(20))).Trim();

        await using var app = new BenchApp();
        var baseAddress = app.BaseAddress;
        Log.Info($"app on {baseAddress}");
        var sessions = app.Sessions;
        Session? session = null;
        ChromiumProcess? chromium = null;
        CdpConnection? browser = null;
        try
        {
            session = await sessions.CreateAsync("anonymous", new CreateSessionRequest(), cancellationToken)
                .WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            var container = $"remolt-{session.Id}";
            Log.Info($"session {session.Id}, container {container}");
            var sandbox = new Sandbox(container);

            var payloadBytes = await sandbox.CreatePayloadAsync(options.PayloadLines);
            var warmupBytes = await sandbox.FileSizeAsync(Sandbox.WarmupPath);
            Log.Info($"payload {payloadBytes:N0} bytes, warm-up {warmupBytes:N0} bytes");

            chromium = await ChromiumProcess.LaunchAsync("/usr/bin/chromium", TimeSpan.FromSeconds(30));
            browser = await CdpConnection.ConnectAsync(chromium.DebuggerUrl, cancellationToken);
            var browserVersion = (await browser.SendAsync("Browser.getVersion")).GetProperty("product").GetString() ?? "?";

            var circuit = new CircuitPath(browser, baseAddress, session.Id, options.BrowserProfilePrefix);
            var paths = new ITerminalPath[] { new DockerExecPath(sandbox), new WebSocketPath(baseAddress, session.Id), circuit };

            // The circuit attaches first: its attach creates tmux session main (new-session -A) and its fitted size
            // becomes every path's size, so tmux renders the same window for all three.
            await circuit.AttachAsync(0, 0, cancellationToken);
            var (columns, rows) = (circuit.Columns, circuit.Rows);
            await circuit.DetachAsync();
            await sandbox.WaitNoClientsAsync(TimeSpan.FromSeconds(15), Note);
            Log.Info($"terminal size {columns}x{rows}");

            var throughput = await MeasureThroughputAsync(paths, sandbox, columns, rows, payloadBytes, cancellationToken);
            var echo = await MeasureEchoAsync(paths, sandbox, columns, rows, cancellationToken);

            foreach (var problem in circuit.ConsoleProblems.Distinct().Take(10))
            {
                Note($"browser console: {problem}");
            }

            var env = new EnvironmentInfo(Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                Environment.Version.ToString(), browserVersion, dockerServer, image,
                loadBefore, (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim());
            var setup = new TerminalSetup(columns, rows, payloadBytes,
                $"cat {Sandbox.PayloadPath}; date +%s%N > {Sandbox.CatDonePath}; echo BENCH_\"\"DONE_<n>   (file: head -c N /dev/urandom | base64 -w 99 | head -n {options.PayloadLines})",
                warmupBytes, options.Runs, options.Keystrokes, StreamPath.EchoGap.TotalMilliseconds, "cat > /dev/null in the tmux pane (echo by the pane's TTY line discipline)");
            return new BenchResult(started, Stats.Round(clock.Elapsed.TotalSeconds, 1), env, setup, throughput, echo, TargetsOf(throughput, echo), _notes);
        }
        finally
        {
            if (browser is not null)
            {
                await browser.DisposeAsync();
            }

            if (chromium is not null)
            {
                await chromium.DisposeAsync();
            }
            if (session is not null)
            {
                Log.Info("ending session");
                await sessions.EndAsync(session, "user", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            }
        }
    }

    private void Note(string message)
    {
        Log.Info($"note: {message}");
        _notes.Add(message);
    }

    private async Task<T> AttachedAsync<T>(ITerminalPath path, Sandbox sandbox, int columns, int rows, Func<Task<T>> measure, CancellationToken cancellationToken)
    {
        try
        {
            await path.AttachAsync(columns, rows, cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            var clients = await sandbox.ClientCountAsync();
            if (clients != 1)
            {
                throw new InvalidOperationException($"{path.Name}: {clients} tmux clients attached, expected exactly 1.");
            }

            return await measure();
        }
        finally
        {
            await path.DetachAsync().WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            await sandbox.WaitNoClientsAsync(TimeSpan.FromSeconds(15), Note);
        }
    }

    private async Task<List<ThroughputResult>> MeasureThroughputAsync(
        ITerminalPath[] paths, Sandbox sandbox, int columns, int rows, long payloadBytes, CancellationToken cancellationToken)
    {
        var runs = paths.ToDictionary(p => p, _ => new List<ThroughputRun>());
        var marker = 0;
        foreach (var path in paths)
        {
            Log.Info($"throughput warm-up: {path.Name}");
            await sandbox.ResetPaneAsync("clear");
            await AttachedAsync(path, sandbox, columns, rows,
                () => path.RunThroughputAsync($"cat {Sandbox.WarmupPath}; echo BENCH_\"\"DONE_{++marker}", $"BENCH_DONE_{marker}", options.RunTimeout),
                cancellationToken);
        }

        // Interleaved rounds, so slow drift on this shared machine hits every path alike.
        for (var round = 1; round <= options.Runs; round++)
        {
            foreach (var path in paths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await sandbox.ResetPaneAsync("clear");
                var run = await AttachedAsync(path, sandbox, columns, rows, async () =>
                {
                    var id = ++marker;
                    var before = CpuSampler.Snapshot();
                    var monotonicStart = Stopwatch.GetTimestamp();
                    var sample = await path.RunThroughputAsync(
                        $"cat {Sandbox.PayloadPath}; date +%s%N > {Sandbox.CatDonePath}; echo BENCH_\"\"DONE_{id}", $"BENCH_DONE_{id}", options.RunTimeout);
                    var cpu = CpuSampler.Delta(before, CpuSampler.Snapshot());
                    // CLOCK_MONOTONIC seconds, to cut a machine-wide profile (perf record -k CLOCK_MONOTONIC) to this run.
                    Log.Info(FormattableString.Invariant(
                        $"{path.Name} run {id}: monotonic {monotonicStart / (double)Stopwatch.Frequency:F3} to {Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:F3}"));
                    var tailMs = sample.SeenUnixMs - (await sandbox.ReadCatDoneUnixMsAsync());
                    return new ThroughputRun(Stats.Round(sample.Seconds, 3), Stats.Round(payloadBytes / 1e6 / sample.Seconds), sample.BytesSeen,
                        sample.Chunks, sample.MaxInFlight, Stats.Round(tailMs, 1), cpu);
                }, cancellationToken);
                runs[path].Add(run);
                Log.Info($"throughput {round}/{options.Runs} {path.Name}: {run.Seconds:F2} s ({run.TailMs:F0} ms after cat ended), {run.MBps:F2} MB/s, client saw {run.BytesSeen:N0} bytes in {run.Chunks:N0} chunks");
            }
        }

        var baseline = Stats.Median([.. runs[paths[0]].Select(r => r.MBps)]);
        return [.. paths.Select(p =>
        {
            var r = runs[p];
            var mbps = Stats.Median([.. r.Select(x => x.MBps)]);
            var groups = r.SelectMany(x => x.CpuSeconds.Keys).Distinct().Order();
            var cpu = groups.ToDictionary(g => g, g => Stats.Round(Stats.Median([.. r.Select(x => x.CpuSeconds.GetValueOrDefault(g))])));
            return new ThroughputResult(p.Name, p.Description, r, Stats.Round(Stats.Median([.. r.Select(x => x.Seconds)]), 3), Stats.Round(mbps),
                Stats.Round(mbps / baseline, 3), cpu);
        })];
    }

    private async Task<List<EchoResult>> MeasureEchoAsync(ITerminalPath[] paths, Sandbox sandbox, int columns, int rows, CancellationToken cancellationToken)
    {
        // Interleaved rounds (a fresh attach each, 20 warm-up keys, then a share of the measured keys), so a burst of
        // load from elsewhere on this shared machine does not land on one path only.
        var perRound = (int)Math.Ceiling(options.Keystrokes / (double)EchoRounds);
        var samples = paths.ToDictionary(p => p, _ => new List<double>());
        for (var round = 0; round < EchoRounds; round++)
        {
            var count = Math.Min(perRound, options.Keystrokes - (round * perRound));
            if (count <= 0)
            {
                break;
            }

            foreach (var path in paths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await sandbox.ResetPaneAsync("clear; cat > /dev/null");
                var latencies = await AttachedAsync(path, sandbox, columns, rows, async () =>
                {
                    await path.RunEchoAsync(Keys(20, round), TimeSpan.FromSeconds(5)).WaitAsync(options.RunTimeout, cancellationToken);
                    return await path.RunEchoAsync(Keys(count, round + 7), TimeSpan.FromSeconds(5)).WaitAsync(options.RunTimeout, cancellationToken);
                }, cancellationToken);
                samples[path].AddRange(latencies);
                Log.Info($"echo round {round + 1}/{EchoRounds} {path.Name}: p50 {Stats.Percentile(latencies, 50):F2} ms, max {latencies.Max():F2} ms");
            }
        }

        await sandbox.ResetPaneAsync("clear");
        var baseP50 = Stats.Percentile([.. samples[paths[0]]], 50);
        var baseP99 = Stats.Percentile([.. samples[paths[0]]], 99);
        return [.. paths.Select(p =>
        {
            var s = samples[p].ToArray();
            var p50 = Stats.Percentile(s, 50);
            var p99 = Stats.Percentile(s, 99);
            Log.Info($"echo {p.Name}: p50 {p50:F3} ms, p99 {p99:F3} ms");
            return new EchoResult(p.Name, p.Description, s.Length, Stats.Round(p50, 3), Stats.Round(Stats.Percentile(s, 90), 3), Stats.Round(p99, 3),
                Stats.Round(s.Average(), 3), Stats.Round(s.Min(), 3), Stats.Round(s.Max(), 3), Stats.Round(p50 - baseP50, 3), Stats.Round(p99 - baseP99, 3),
                [.. s.Select(x => Stats.Round(x, 3))]);
        })];
    }

    /// <summary>
    /// <paramref name="count"/> measured printable keys, consecutive ones always different (so an echo cannot be
    /// mistaken for the previous one), with an unmeasured Enter after every <see cref="EchoLineLength"/> keys.
    /// </summary>
    private static List<KeyStep> Keys(int count, int offset)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var steps = new List<KeyStep>();
        for (var i = 0; i < count; i++)
        {
            steps.Add(new KeyStep(alphabet[(i + offset) % alphabet.Length], true));
            if ((i + 1) % EchoLineLength == 0)
            {
                steps.Add(new KeyStep('\r', false));
            }
        }

        steps.Add(new KeyStep('\r', false));
        return steps;
    }

    private static Targets TargetsOf(List<ThroughputResult> throughput, List<EchoResult> echo) => new(
        "throughput >= 0.9x the docker exec baseline",
        throughput.Skip(1).ToDictionary(t => t.Path, t => t.RatioToBaseline >= 0.9),
        "echo p50 within 3 ms of the docker exec baseline",
        echo.Skip(1).ToDictionary(e => e.Path, e => e.P50DiffToBaselineMs <= 3));
}

internal static class Report
{
    public static string Markdown(BenchResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(inv, $"## RemoltBlazor terminal benchmark ({r.StartedAt:yyyy-MM-dd HH:mm} UTC, {r.DurationSeconds:F0} s)");
        sb.AppendLine();
        sb.AppendLine(inv, $"{r.Environment.ProcessorCount} cores, {r.Environment.Os}, .NET {r.Environment.Dotnet}, Chromium {r.Environment.Chromium}, Docker {r.Environment.DockerServer}; /proc/loadavg before `{r.Environment.LoadAverageBefore}`, after `{r.Environment.LoadAverageAfter}`; terminal {r.Setup.Columns}x{r.Setup.Rows}.");
        sb.AppendLine(inv, $"Throughput: `{r.Setup.PayloadCommand}`, {r.Setup.PayloadBytes / 1e6:F1} MB, median of {r.Setup.Runs} interleaved runs after one {r.Setup.WarmupBytes / 1e6:F1} MB warm-up per path.");
        sb.AppendLine(inv, $"Echo: {r.Setup.Keystrokes} single keys into `{r.Setup.EchoTarget}`, one at a time, {r.Setup.EchoGapMs} ms pause after each echo, in 4 interleaved rounds (fresh attach and 20 warm-up keys each).");
        sb.AppendLine();
        sb.AppendLine("| path | throughput MB/s | ratio to baseline | echo min ms | echo p50 ms | echo p99 ms | p50 vs baseline ms | p99 vs baseline ms |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var t in r.Throughput)
        {
            var e = r.Echo.First(x => x.Path == t.Path);
            sb.AppendLine(inv, $"| {t.Path} | {t.MedianMBps:F2} | {t.RatioToBaseline:F2}x | {e.MinMs:F2} | {e.P50Ms:F2} | {e.P99Ms:F2} | {e.P50DiffToBaselineMs:+0.00;-0.00;0.00} | {e.P99DiffToBaselineMs:+0.00;-0.00;0.00} |");
        }

        sb.AppendLine();
        sb.AppendLine("Throughput runs (s) and what the client actually received (tmux skips output a client cannot keep up with and redraws the screen instead):");
        sb.AppendLine();
        sb.AppendLine("| path | runs (s) | after `cat` ended (ms, median) | bytes seen by the client (median) | chunks/frames/writes (median) | max writes queued in xterm.js |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var t in r.Throughput)
        {
            sb.AppendLine(inv, $"| {t.Path} | {string.Join(", ", t.Runs.Select(x => x.Seconds.ToString("F2", inv)))} | {Stats.Median([.. t.Runs.Select(x => x.TailMs)]):F0} | {Stats.Median([.. t.Runs.Select(x => (double)x.BytesSeen)]):N0} | {Stats.Median([.. t.Runs.Select(x => (double)x.Chunks)]):N0} | {(t.Runs.Max(x => x.MaxInFlight) is var m and > 0 ? m.ToString(inv) : "-")} |");
        }

        sb.AppendLine();
        var groups = r.Throughput.SelectMany(t => t.MedianCpuSeconds.Keys).Distinct().Order().ToList();
        sb.AppendLine("CPU seconds per throughput run (median), by process group:");
        sb.AppendLine();
        sb.AppendLine($"| path | {string.Join(" | ", groups)} |");
        sb.AppendLine($"|---|{string.Concat(groups.Select(_ => "---:|"))}");
        foreach (var t in r.Throughput)
        {
            sb.AppendLine(inv, $"| {t.Path} | {string.Join(" | ", groups.Select(g => t.MedianCpuSeconds.GetValueOrDefault(g).ToString("F2", inv)))} |");
        }

        sb.AppendLine();
        sb.AppendLine(inv, $"Targets (reported, not asserted): {r.Targets.Throughput}: {string.Join(", ", r.Targets.ThroughputMet.Select(kv => $"{kv.Key} {(kv.Value ? "met" : "NOT met")}"))}; "
            + $"{r.Targets.Echo}: {string.Join(", ", r.Targets.EchoMet.Select(kv => $"{kv.Key} {(kv.Value ? "met" : "NOT met")}"))}.");
        foreach (var note in r.Notes)
        {
            sb.AppendLine(inv, $"- note: {note}");
        }

        return sb.ToString();
    }
}
