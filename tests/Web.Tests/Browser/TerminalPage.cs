using Microsoft.Playwright;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>What a test does with the terminal in the workspace page: read the xterm DOM, type, paste.</summary>
internal sealed class TerminalPage(IPage page)
{
    private static readonly TimeSpan s_defaultWait = TimeSpan.FromSeconds(30);

    public IPage Page => page;

    /// <summary>The text xterm.js currently renders (its DOM renderer's rows).</summary>
    public Task<string> ScreenTextAsync() =>
        page.EvaluateAsync<string>("() => Array.from(document.querySelectorAll('.xterm-rows > div')).map(r => r.textContent).join('\\n')");

    /// <summary>Everything xterm.js holds, scrollback included, one line per buffer row.</summary>
    public Task<string> BufferTextAsync() =>
        page.EvaluateAsync<string>("""
            () => {
                const buffer = document.querySelector('.terminal-host').__remoltTerm.buffer.active;
                const lines = [];
                for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
                return lines.join('\n');
            }
            """);

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

        throw new TimeoutException($"'{expected}' did not appear in the terminal. Screen:\n{screen}");
    }

    public async Task TypeLineAsync(string line)
    {
        await page.Locator(".xterm").First.ClickAsync();
        await page.Keyboard.TypeAsync(line);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Waits until xterm.js has processed the program's bracketed-paste mode switch (CSI ? 2004 h/l).</summary>
    public Task WaitForBracketedPasteAsync(bool enabled) =>
        page.WaitForFunctionAsync(
            "on => document.querySelector('.terminal-host').__remoltTerm.modes.bracketedPasteMode === on", enabled);

    public Task PasteAsync(string text) =>
        page.EvaluateAsync("text => document.querySelector('.terminal-host').__remoltTerm.paste(text)", text);
}
