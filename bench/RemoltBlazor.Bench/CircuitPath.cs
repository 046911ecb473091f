using RemoltBlazor.Bench.Cdp;

namespace RemoltBlazor.Bench;

/// <summary>
/// The Blazor circuit: headless Debian Chromium (a bare DevTools connection, see <see cref="ChromiumProcess"/>) on <c>/session/{id}</c>, the app's own TerminalView and
/// xterm.js. Each attach is a fresh browser context and page (a fresh circuit). Everything is timed inside the page
/// with <c>performance.now()</c>: keys go in with <c>term.input(key, true)</c> (what typing does: onData, the app's
/// input queue, an interop call to .NET); output counts as seen when xterm.js has parsed it (the write callback the
/// app's flow control also waits for, and <c>onWriteParsed</c> for the marker scan of the viewport).
/// </summary>
/// <param name="profilePrefix">When set, each throughput run records a V8 CPU profile of the page to <c>{prefix}-{n}.cpuprofile</c>.</param>
internal sealed class CircuitPath(CdpConnection browser, Uri baseAddress, string sessionId, string? profilePrefix) : ITerminalPath
{
    private const string TermExpr = "document.querySelector('.terminal-host').__remoltTerm";

    private CdpPage? _page;
    private int _profiles;

    public string Name => "Blazor circuit (Chromium)";

    public string Description =>
        "headless /usr/bin/chromium driven over a bare DevTools connection (no Network domain) on /session/{id}; term.input() to send, "
        + "timing in-page with performance.now() until xterm.js has parsed the output (write callback / onWriteParsed)";

    public int Columns { get; private set; }

    public int Rows { get; private set; }

    public List<string> ConsoleProblems { get; } = [];

    public async Task AttachAsync(int columns, int rows, CancellationToken cancellationToken)
    {
        _page = await CdpPage.CreateAsync(browser, 1280, 800);
        await _page.NavigateAsync(new Uri(baseAddress, $"session/{sessionId}").ToString(), TimeSpan.FromSeconds(30));
        try
        {
            await _page.WaitForAsync(
                "() => { const h = document.querySelector('.terminal-host'); return !!(h && h.__remoltTerm) && !document.querySelector('.terminal-status'); }",
                TimeSpan.FromSeconds(30));
        }
        catch (CdpException ex)
        {
            // Say what the page showed instead: the terminal's status overlay, or that xterm.js never started.
            var shown = await _page.EvaluateAsync(
                "() => { const h = document.querySelector('.terminal-host'); const s = document.querySelector('.terminal-status'); return `xterm ${!!(h && h.__remoltTerm)}, status: ${s ? s.innerText : 'none'}`; }");
            throw new CdpException($"the terminal did not attach ({shown}; console: {string.Join(" | ", _page.Problems.Take(5))}): {ex.Message}");
        }
        await _page.EvaluateAsync(InstallHooks);
        var size = await _page.EvaluateAsync($"() => [{TermExpr}.cols, {TermExpr}.rows]");
        (Columns, Rows) = (size[0].GetInt32(), size[1].GetInt32());
        await WaitQuietAsync(300, 20_000);
    }

    // Wraps the instance's write (the app's handle calls term.write(bytes, resolve) on this instance) to count output,
    // track how many writes are queued in xterm.js at once, and give the measurements a hook after each parse.
    private const string InstallHooks = """
        () => {
          const term = document.querySelector('.terminal-host').__remoltTerm;
          const b = window.__bench = { bytes: 0, writes: 0, inFlight: 0, maxInFlight: 0, lastParsed: performance.now(), onParsed: null, onWriteParsed: null };
          const orig = term.write.bind(term);
          term.write = (data, cb) => {
            b.bytes += data.length; b.writes++; b.inFlight++;
            if (b.inFlight > b.maxInFlight) b.maxInFlight = b.inFlight;
            orig(data, () => {
              b.inFlight--; b.lastParsed = performance.now();
              if (b.onParsed) b.onParsed();
              if (cb) cb();
            });
          };
          term.onWriteParsed(() => { if (b.onWriteParsed) b.onWriteParsed(); });
        }
        """;

    private Task WaitQuietAsync(int quietMs, int maxMs) => _page!.EvaluateAsync("""
        async ([quietMs, maxMs]) => {
          const b = window.__bench; const t = performance.now();
          while (performance.now() - b.lastParsed < quietMs || b.inFlight > 0) {
            if (performance.now() - t > maxMs) throw new Error(`output not quiet for ${quietMs} ms within ${maxMs} ms`);
            await new Promise(r => setTimeout(r, 20));
          }
        }
        """, new[] { quietMs, maxMs });

    public async Task<ThroughputSample> RunThroughputAsync(string command, string marker, TimeSpan timeout)
    {
        await _page!.SendAsync("Performance.enable");
        var before = await MainThreadMetricsAsync();
        if (profilePrefix is not null)
        {
            await _page.SendAsync("Profiler.enable");
            await _page.SendAsync("Profiler.setSamplingInterval", new { interval = 200 });
            await _page.SendAsync("Profiler.start");
        }

        var sample = await RunThroughputCoreAsync(command, marker, timeout);
        if (profilePrefix is not null)
        {
            var result = await _page.SendAsync("Profiler.stop");
            await File.WriteAllTextAsync($"{profilePrefix}-{++_profiles}.cpuprofile", result.GetProperty("profile").GetRawText());
        }

        var after = await MainThreadMetricsAsync();
        Log.Info("chromium main thread during the run (s): " + string.Join(", ", after.Select(m => $"{m.Key} {m.Value - before[m.Key]:F2}")));
        await _page.SendAsync("Performance.disable");
        return sample;
    }

    private async Task<Dictionary<string, double>> MainThreadMetricsAsync()
    {
        var metrics = await _page!.SendAsync("Performance.getMetrics");
        string[] wanted = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskOtherDuration"];
        return metrics.GetProperty("metrics").EnumerateArray()
            .Where(m => wanted.Contains(m.GetProperty("name").GetString()))
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
    }

    private async Task<ThroughputSample> RunThroughputCoreAsync(string command, string marker, TimeSpan timeout)
    {
        var result = await _page!.EvaluateAsync("""
            ({ command, marker, timeoutMs }) => new Promise((resolve, reject) => {
              const term = document.querySelector('.terminal-host').__remoltTerm;
              const b = window.__bench;
              const bytes0 = b.bytes, writes0 = b.writes; b.maxInFlight = 0;
              const timer = setTimeout(() => { b.onWriteParsed = null; reject(new Error(`marker not seen within ${timeoutMs} ms (${b.bytes - bytes0} bytes arrived)`)); }, timeoutMs);
              let t0 = 0;
              b.onWriteParsed = () => {
                const buf = term.buffer.active;
                for (let y = buf.baseY; y < buf.baseY + term.rows; y++) {
                  const line = buf.getLine(y);
                  if (line && line.translateToString(true).includes(marker)) {
                    const t1 = performance.now();
                    clearTimeout(timer); b.onWriteParsed = null;
                    resolve({ ms: t1 - t0, seenUnixMs: performance.timeOrigin + t1, bytes: b.bytes - bytes0, writes: b.writes - writes0, maxInFlight: b.maxInFlight });
                    return;
                  }
                }
              };
              t0 = performance.now();
              term.input(command + '\r', true);
            })
            """, new { command, marker, timeoutMs = (int)timeout.TotalMilliseconds });
        return new ThroughputSample(result.GetProperty("ms").GetDouble() / 1000, (long)result.GetProperty("bytes").GetDouble(),
            (long)result.GetProperty("writes").GetDouble(), (int)result.GetProperty("maxInFlight").GetDouble(),
            result.GetProperty("seenUnixMs").GetDouble());
    }

    public async Task<double[]> RunEchoAsync(IReadOnlyList<KeyStep> keys, TimeSpan perKeyTimeout)
    {
        var steps = keys.Select(k => new object[] { k.Key.ToString(), k.Measured }).ToArray();
        var latencies = await _page!.EvaluateAsync("""
            async ({ steps, timeoutMs, gapMs }) => {
              const term = document.querySelector('.terminal-host').__remoltTerm;
              const b = window.__bench;
              const sleep = ms => new Promise(r => setTimeout(r, ms));
              const lat = [];
              for (const [key, measured] of steps) {
                if (!measured) {
                  term.input(key, true);
                  await sleep(20);
                  const t = performance.now();
                  while (performance.now() - b.lastParsed < 50 || b.inFlight > 0) {
                    if (performance.now() - t > timeoutMs) throw new Error('output not quiet after Enter');
                    await sleep(5);
                  }
                  continue;
                }
                let t0 = 0;
                const t1 = await new Promise((resolve, reject) => {
                  const timer = setTimeout(() => { b.onParsed = null; reject(new Error(`no echo of '${key}' within ${timeoutMs} ms`)); }, timeoutMs);
                  b.onParsed = () => {
                    const buf = term.buffer.active;
                    const line = buf.getLine(buf.baseY + buf.cursorY);
                    const x = buf.cursorX;
                    const cell = line && x > 0 ? line.getCell(x - 1) : undefined;
                    if (cell && cell.getChars() === key) { const t = performance.now(); clearTimeout(timer); b.onParsed = null; resolve(t); }
                  };
                  t0 = performance.now();
                  term.input(key, true);
                });
                lat.push(t1 - t0);
                await sleep(gapMs);
              }
              return lat;
            }
            """, new { steps, timeoutMs = (int)perKeyTimeout.TotalMilliseconds, gapMs = (int)StreamPath.EchoGap.TotalMilliseconds });
        return [.. latencies.EnumerateArray().Select(l => l.GetDouble())];
    }

    public async Task DetachAsync()
    {
        if (_page is not null)
        {
            // Leaving the page sends Blazor's disconnect beacon, so the circuit (and its tmux client) goes at once
            // instead of after the disconnected-circuit retention period.
            await _page.NavigateAsync("about:blank", TimeSpan.FromSeconds(30));
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_page is not null)
        {
            lock (_page.Problems)
            {
                ConsoleProblems.AddRange(_page.Problems);
            }

            await _page.DisposeAsync();
            _page = null;
        }
    }
}
