using Microsoft.Playwright;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>Scrollback search, font size, the renderer and its fallback, and copy and paste on a secure origin.</summary>
public sealed class TerminalComfortTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private const string Host = ".terminal-pane.active .terminal-host";

    [BrowserFact]
    public async Task SearchFontSizeRenderer_FindInScrollbackZoomPersistsAndDomFallbackRenders()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var pages = await BrowserPages.OpenAsync(chromium.Browser, workspace.App.BaseAddress, BrowserPages.Desktop);
        var page = pages.Page;
        await page.GotoAsync($"session/{workspace.Session.Id}");
        var terminal = new TerminalPage(page, ".terminal-pane.active");
        await terminal.WaitForTextAsync("$ ");

        // Search: the match is up in the scrollback, off screen. tmux redraws its screen in place, so the scrollback in
        // the browser is the history a (re)attach seeds it with (capture-pane), plus the screen.
        await terminal.TypeLineAsync("seq -f 'row%g' 1 120; echo seq-done");
        await terminal.WaitForTextAsync("seq-done");
        await page.ReloadAsync();
        await terminal.WaitForTextAsync("seq-done");
        (await terminal.BufferTextAsync()).ShouldContain("row12\n");
        (await terminal.ScreenTextAsync()).ShouldNotContain("row12\n");
        await page.Keyboard.PressAsync("Control+Shift+F");
        var search = page.Locator(".terminal-pane.active [data-testid=terminal-search]");
        await search.WaitForAsync();
        await search.Locator("input").FillAsync("ROW12");
        await search.Locator("input").PressAsync("Enter");
        await page.WaitForFunctionAsync("sel => document.querySelector(sel).__remoltTerm.getSelection() === 'row12'", Host);
        await search.Locator(".search-case").ClickAsync(); // match case: "ROW12" is not in the output
        await search.Locator(".search-next").ClickAsync();
        await search.Locator("[data-testid=search-result]").WaitForAsync();
        (await search.Locator("[data-testid=search-result]").InnerTextAsync()).ShouldBe("No match");
        await search.Locator("input").PressAsync("Escape");
        await search.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        // Font size: the toolbar and Ctrl+= change every terminal, the TTY follows, and a reload keeps it.
        (await FontSizeAsync(page)).ShouldBe(14);
        await page.Locator("#font-bigger").ClickAsync();
        await page.WaitForFunctionAsync("sel => document.querySelector(sel).__remoltTerm.options.fontSize === 15", Host);
        // Focused without a click: this click and the next line's on the same spot make a double click, which tmux
        // (mouse on) answers with copy-mode and a word selection; the reload below can detach before tmux's 0.3 s
        // delayed cancel, leaving the pane in copy-mode so the later typing never reaches the shell.
        await page.EvaluateAsync("sel => document.querySelector(sel).__remoltTerm.focus()", Host);
        await page.Keyboard.PressAsync("Control+Equal");
        await page.WaitForFunctionAsync("sel => document.querySelector(sel).__remoltTerm.options.fontSize === 16", Host);
        await terminal.TypeLineAsync("printf 'c%s=%s\\n' ols $(tput cols)");
        var cols = await page.EvaluateAsync<int>("sel => document.querySelector(sel).__remoltTerm.cols", Host);
        await terminal.WaitForTextAsync($"cols={cols}");
        await page.ReloadAsync();
        await terminal.WaitForTextAsync("$ ");
        (await FontSizeAsync(page)).ShouldBe(16);

        // Renderer: automatic picks the DOM renderer in a GPU-less headless browser; asking for WebGL either gets it or
        // falls back to the DOM renderer, and the terminal keeps rendering either way.
        var host = page.Locator(Host);
        (await host.GetAttributeAsync("data-renderer")).ShouldBe("dom");
        (await host.GetAttributeAsync("data-renderer-fallback")).ShouldBeOneOf("software", "unavailable");
        await page.EvaluateAsync("() => import('./js/terminal-prefs.js').then(p => p.save({ ...p.load(), renderer: 'webgl' }))");
        await page.WaitForFunctionAsync("sel => document.querySelector(sel).dataset.rendererFallback !== 'software'", Host);
        if (await host.GetAttributeAsync("data-renderer") == "webgl")
        {
            // A lost context (a GPU reset) falls back on the spot.
            await page.EvaluateAsync("""
                sel => Array.from(document.querySelectorAll(sel + ' canvas')).map(c => c.getContext('webgl2')).find(gl => gl)
                    .getExtension('WEBGL_lose_context').loseContext()
                """, Host);
            await page.WaitForFunctionAsync("sel => document.querySelector(sel).dataset.rendererFallback === 'context-lost'", Host);
        }

        (await host.GetAttributeAsync("data-renderer")).ShouldBe("dom");
        await terminal.TypeLineAsync("echo still-$((20+1))");
        await terminal.WaitForTextAsync("still-21"); // read from the DOM renderer's rows

        await pages.ShouldBeCleanAsync();
    }

    [BrowserFact]
    public async Task SecureOrigin_SelectCopiesThroughTheClipboardApiAndPasteButtonPastes()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var pages = await BrowserPages.OpenAsync(chromium.Browser, workspace.App.BaseAddress, BrowserPages.Desktop);
        var page = pages.Page;
        await page.GotoAsync($"session/{workspace.Session.Id}");
        var terminal = new TerminalPage(page, ".terminal-pane.active");
        await terminal.WaitForTextAsync("$ ");
        (await page.EvaluateAsync<bool>("() => window.isSecureContext")).ShouldBeTrue();

        await terminal.TypeLineAsync("echo copy-me-$((6*7))");
        await terminal.WaitForTextAsync("copy-me-42\n");
        await TerminalClipboard.ShiftDoubleClickRowAsync(page, "copy-me-42");
        await page.WaitForFunctionAsync("sel => document.querySelector(sel).dataset.lastCopy === 'api'", Host);
        (await page.EvaluateAsync<string>("() => navigator.clipboard.readText()")).ShouldBe("copy-me-42");

        // A plain drag selects in tmux (it has the mouse), which passes the copy on as OSC 52.
        await page.EvaluateAsync("() => navigator.clipboard.writeText('')");
        var row = await page.EvaluateAsync<double[]>("""
            () => {
                const row = Array.from(document.querySelectorAll('.terminal-pane.active .xterm-rows > div')).find(r => r.textContent.startsWith('copy-me-42'));
                const rect = row.getBoundingClientRect();
                return [rect.left, rect.top + rect.height / 2, rect.width];
            }
            """);
        var charWidth = await page.EvaluateAsync<double>("sel => document.querySelector(sel + ' .xterm-screen').getBoundingClientRect().width / document.querySelector(sel).__remoltTerm.cols", Host);
        await page.Mouse.MoveAsync((float)(row[0] + 2), (float)row[1]);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(row[0] + (charWidth * 4.5)), (float)row[1], new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await page.WaitForFunctionAsync("() => navigator.clipboard.readText().then(t => t === 'copy')");

        // tmux may pass the same selection on once more as it leaves copy mode: write until the clipboard keeps it.
        await page.BringToFrontAsync(); // the clipboard API needs the focused page; other tests' pages share the browser
        await page.WaitForFunctionAsync("""
            async text => {
                await navigator.clipboard.writeText(text);
                await new Promise(resolve => setTimeout(resolve, 300));
                return (await navigator.clipboard.readText()) === text;
            }
            """, "echo pasted-$((5*5))");
        await page.Locator("#terminal-paste").ClickAsync();
        await terminal.WaitForTextAsync("echo pasted-$((5*5))");
        await page.Keyboard.PressAsync("Enter");
        await terminal.WaitForTextAsync("pasted-25");
        (await page.Locator("[data-testid=paste-dialog]").CountAsync()).ShouldBe(0);

        await pages.ShouldBeCleanAsync();
    }

    private static Task<int> FontSizeAsync(IPage page) =>
        page.EvaluateAsync<int>("sel => document.querySelector(sel).__remoltTerm.options.fontSize", Host);
}
