using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>Network blips and dropped terminal streams: the page reconnects by itself and loses nothing.</summary>
public sealed partial class ReconnectTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task NetworkDrop_MidOutput_ReconnectsInPlaceWithContiguousHistory()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        await using var proxy = new TcpDropProxy(workspace.App.BaseAddress);
        var terminal = await workspace.OpenAsync(chromium, address: proxy.Address);
        var page = workspace.Page;
        // For a failure's message: every size the terminal takes (a resize also makes tmux redraw in place).
        await page.EvaluateAsync(@"() => { window.__sizes = []; new ResizeObserver(es => es.forEach(e => window.__sizes.push(
            Math.round(e.contentRect.width) + 'x' + Math.round(e.contentRect.height) + '@' + Math.round(performance.now()))))
            .observe(document.querySelector('.xterm')); }");
        await terminal.TypeLineAsync("for i in $(seq 1 100000); do echo tick-$i; sleep 0.05; done");
        await terminal.WaitForTextAsync("tick-40");

        var beforeDrop = MaxTick(await terminal.BufferTextAsync());
        proxy.DropAll().ShouldBeGreaterThan(0);
        var dropped = Stopwatch.StartNew();
        await page.Locator("#components-reconnect-modal.visible").WaitForAsync(new() { Timeout = 10_000 });
        await Screenshots.SaveAsync(page, "workspace-reconnecting");

        // Output resumes by itself, well past where it was when the connection died.
        await WaitForTickAsync(terminal, beforeDrop + 1, TimeSpan.FromSeconds(60));
        var reconnected = dropped.Elapsed;
        await WaitForTickAsync(terminal, beforeDrop + 40, TimeSpan.FromSeconds(30));
        var text = await terminal.BufferTextAsync();
        var ticks = Ticks(text);
        ticks.Min().ShouldBe(1);
        // Everything printed before the drop is still there, in order, and so is everything since the reconnect, but
        // for one seam: tmux draws a re-attached client in full twice (again when xterm.js answers its device-attribute
        // queries), and a line that scrolls off the top of the screen in between is drawn over in place, never reaching
        // the browser's scrollback (TmuxCommands.AttachScript). That seam is the top of the screen at the re-attach,
        // so at most a screenful before the newest line seen before the drop; one or two lines there may be missing.
        var rows = await page.EvaluateAsync<int>("sel => document.querySelector(sel).__remoltTerm.rows", ".terminal-host");
        var sizes = await page.EvaluateAsync<string[]>("() => window.__sizes");
        var missing = Enumerable.Range(1, ticks.Max()).Except(ticks).ToList();
        var diagnostics = $"drop after tick-{beforeDrop}, {rows} rows, terminal sizes {string.Join(", ", sizes)}: {string.Join(", ", missing)}{Around(text, missing)}";
        missing.ShouldAllBe(t => t > beforeDrop - rows, $"lines older than the last screen before the drop are missing ({diagnostics})");
        (missing.Count == 0 || (missing.Count <= 2 && missing[^1] - missing[0] < 2))
            .ShouldBeTrue($"more than the re-attach seam is missing ({diagnostics})");
        await page.Locator("#components-reconnect-modal.visible").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden });
        Console.WriteLine($"reconnect after network drop: {reconnected.TotalMilliseconds:F0} ms");
    }

    [BrowserFact]
    public async Task TerminalStreamEnds_SessionStillRunning_ReattachesInPlace()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var terminal = await workspace.OpenAsync(chromium);
        var (app, session, page) = (workspace.App, workspace.Session, workspace.Page);
        await terminal.TypeLineAsync("echo before-$((40+2))");
        await terminal.WaitForTextAsync("before-42");

        // Detaching our tmux client ends the stream on the server side while the session keeps running.
        await terminal.TypeLineAsync("tmux detach-client");

        // It re-attaches by itself (a second terminal.connected) and the earlier output is still above the prompt.
        var events = app.Services.GetRequiredService<RemoltBlazor.Data.Events.EventLog>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await events.RecentAsync(50, session.Id)).Count(e => e.Name == "terminal.connected") < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        (await events.RecentAsync(50, session.Id)).Count(e => e.Name == "terminal.connected").ShouldBeGreaterThanOrEqualTo(2);
        await page.Locator("[data-testid=terminal-status]").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = 20_000 });
        await terminal.WaitForTextAsync("before-42");
        await terminal.TypeLineAsync("echo after-$((40+3))");
        await terminal.WaitForTextAsync("after-43");
    }

    private static async Task WaitForTickAsync(TerminalPage terminal, int tick, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (MaxTick(await terminal.BufferTextAsync()) >= tick)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"tick-{tick} never arrived:\n{await terminal.ScreenTextAsync()}");
    }

    private static string Around(string text, List<int> missing)
    {
        if (missing.Count == 0)
        {
            return "";
        }

        var lines = text.Split('\n');
        var at = Array.FindIndex(lines, l => l.Trim() == $"tick-{missing[0] - 1}");
        return at < 0 ? "" : "\n" + string.Join("\n", lines[Math.Max(0, at - 2)..Math.Min(lines.Length, at + 4)]);
    }

    private static int MaxTick(string text) => Ticks(text) is { Count: > 0 } ticks ? ticks.Max() : 0;

    private static List<int> Ticks(string text) =>
        [.. TickLine().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order()];

    [GeneratedRegex(@"^tick-(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TickLine();
}
