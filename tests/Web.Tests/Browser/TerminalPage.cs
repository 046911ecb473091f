using Microsoft.Playwright;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>
/// What a test does with a terminal in the workspace page: read the xterm DOM and buffer, type, paste.
/// <paramref name="scope"/> is a CSS selector for the element holding the terminal (a tab's pane), or empty.
/// </summary>
internal sealed class TerminalPage(IPage page, string scope = "")
{
    private static readonly TimeSpan s_defaultWait = TimeSpan.FromSeconds(30);

    private readonly string _rows = $"{scope} .xterm-rows > div".Trim();
    private readonly string _host = $"{scope} .terminal-host".Trim();

    public IPage Page => page;

    /// <summary>The text xterm.js currently renders (its DOM renderer's rows).</summary>
    public Task<string> ScreenTextAsync() =>
        page.EvaluateAsync<string>("sel => Array.from(document.querySelectorAll(sel)).map(r => r.textContent).join('\\n')", _rows);

    /// <summary>Everything xterm.js holds, scrollback included, one line per buffer row.</summary>
    public Task<string> BufferTextAsync() =>
        page.EvaluateAsync<string>("""
            sel => {
                const buffer = document.querySelector(sel).__remoltTerm.buffer.active;
                const lines = [];
                for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
                return lines.join('\n');
            }
            """, _host);

    public async Task<string> WaitForTextAsync(string expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? s_defaultWait);
        var screen = "";
        while (DateTime.UtcNow < deadline)
        {
            screen = await ScreenTextAsync();
            if (screen.Contains(expected, StringComparison.Ordinal))
            {
                return screen;
            }

            await Task.Delay(100);
        }

        // Say what the page showed instead: the terminal's status line (connecting, an error) and whether xterm started.
        var shown = await page.EvaluateAsync<string>("""
            sel => {
                const status = document.querySelector('[data-testid=terminal-status]');
                const host = document.querySelector(sel);
                return `status: ${status ? status.textContent.trim() : '(none)'}; xterm started: ${!!(host && host.__remoltTerm)}`;
            }
            """, _host);
        throw new TimeoutException($"'{expected}' did not appear in the terminal ({shown}). Screen:\n{screen}");
    }

    /// <summary>
    /// Prints <paramref name="url"/> alone on a line, then hovers its start (xterm's link provider works on hover) and
    /// clicks it: the page the link opened, loaded.
    /// </summary>
    public async Task<IPage> OpenPrintedLinkAsync(string url)
    {
        await TypeLineAsync($"clear; printf '\\n%s\\n' '{url}'");
        await WaitForTextAsync("\n" + url);
        var row = page.Locator(_rows).Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(url)) }).First;
        var box = (await row.BoundingBoxAsync()).ShouldNotBeNull();
        await page.Mouse.MoveAsync(box.X + 30, box.Y + box.Height / 2);
        await Task.Delay(300);
        var opened = await page.Context.RunAndWaitForPageAsync(() => page.Mouse.ClickAsync(box.X + 30, box.Y + box.Height / 2));
        await opened.WaitForLoadStateAsync();
        return opened;
    }

    public async Task TypeLineAsync(string line)
    {
        await page.Locator($"{scope} .xterm".Trim()).First.ClickAsync();
        await page.Keyboard.TypeAsync(line);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Waits until xterm.js has processed the program's bracketed-paste mode switch (CSI ? 2004 h/l).</summary>
    public Task WaitForBracketedPasteAsync(bool enabled) =>
        page.WaitForFunctionAsync(
            "([sel, on]) => document.querySelector(sel).__remoltTerm.modes.bracketedPasteMode === on", new object[] { _host, enabled });

    public Task PasteAsync(string text) =>
        page.EvaluateAsync("([sel, text]) => document.querySelector(sel).__remoltTerm.paste(text)", new object[] { _host, text });
}
