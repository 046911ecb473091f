using Microsoft.Playwright;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>The IDE at a desktop's 1920x1080, a laptop's 1280x800 and a phone's 390x844: it fits, it has no console errors, and the phone gets its key bar.</summary>
public sealed class WorkspaceLayoutTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task Laptop_1280x800_TheBarsItemsNeitherOverlapNorSpill()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var pages = await BrowserPages.OpenAsync(chromium.Browser, workspace.App.BaseAddress, new() { Width = 1280, Height = 800 });
        var page = pages.Page;
        await page.GotoAsync($"session/{workspace.Session.Id}");
        await new TerminalPage(page, ".terminal-pane.active").WaitForTextAsync("$ ");

        // Every visible item of the bar, left to right, ends before the next begins, and none draws past its own box.
        var problems = await page.EvaluateAsync<string[]>("""
            () => {
                const items = [...document.querySelectorAll('.bar-row > *')]
                    .map(e => ({ e, r: e.getBoundingClientRect() })).filter(x => x.r.width > 0);
                const found = [];
                for (let i = 1; i < items.length; i++) {
                    if (items[i - 1].r.right > items[i].r.left + 1) found.push(`${items[i - 1].e.className} overlaps ${items[i].e.className}`);
                }
                for (const { e } of items) {
                    if (!e.classList.contains('tabs') && e.scrollWidth > e.clientWidth + 1) found.push(`${e.className} spills`);
                }
                return found;
            }
            """);

        await Screenshots.SaveAsync(page, "ide-laptop");
        problems.ShouldBeEmpty();
        await pages.ShouldBeCleanAsync();
    }

    [BrowserFact]
    public async Task Desktop_1920x1080_TerminalFillsThePageWithoutErrors()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var pages = await BrowserPages.OpenAsync(chromium.Browser, workspace.App.BaseAddress, BrowserPages.Desktop);
        var page = pages.Page;
        await page.GotoAsync($"session/{workspace.Session.Id}");
        var terminal = new TerminalPage(page, ".terminal-pane.active");
        await terminal.WaitForTextAsync("$ ");
        await terminal.TypeLineAsync("printf 'c%s=%s\\n' ols $(tput cols)"); // the output, not the echoed command, says cols=
        await terminal.WaitForTextAsync("cols=");

        await Screenshots.SaveAsync(page, "ide-desktop");
        await pages.ShouldBeCleanAsync();
        (await page.Locator(".terminal-pane.active [data-testid=terminal-keybar]").IsVisibleAsync()).ShouldBeFalse();
        (await page.Locator("#end-session").IsVisibleAsync()).ShouldBeTrue();
        (await page.Locator("[data-testid=uptime]").InnerTextAsync()).ShouldMatch(@"^\d+s$|^\d+m \d\ds$");
        var cols = int.Parse(System.Text.RegularExpressions.Regex.Match(await terminal.ScreenTextAsync(), @"cols=(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        cols.ShouldBeGreaterThan(180); // the terminal spans the width, not a default 80
    }

    [BrowserFact]
    public async Task Phone_390x844_FitsAndTheKeyBarSendsEscArrowsAndCtrl()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var pages = await BrowserPages.OpenAsync(chromium.Browser, workspace.App.BaseAddress, BrowserPages.Phone);
        var page = pages.Page;
        await page.GotoAsync($"session/{workspace.Session.Id}");
        var terminal = new TerminalPage(page, ".terminal-pane.active");
        await terminal.WaitForTextAsync("$ ");

        var keys = page.Locator(".terminal-pane.active [data-testid=terminal-keybar]");
        await keys.WaitForAsync();
        (await page.Locator("#end-session").IsVisibleAsync()).ShouldBeFalse(); // in the menu instead
        (await page.Locator("[data-testid=workspace-menu]").IsVisibleAsync()).ShouldBeTrue();
        var hostBox = (await page.Locator(".terminal-pane.active .terminal-host").BoundingBoxAsync())!;
        var barBox = (await keys.BoundingBoxAsync())!;
        (hostBox.Y + hostBox.Height).ShouldBeLessThanOrEqualTo(barBox.Y + 1); // the key bar does not cover the terminal
        (hostBox.X + hostBox.Width).ShouldBeLessThanOrEqualTo(390);

        // cat -v shows control bytes as text: what the bar sent is what arrived at the pty.
        await terminal.TypeLineAsync("cat -v");
        await keys.Locator("[data-key=esc]").ClickAsync();
        await keys.Locator("[data-key=up]").ClickAsync();
        await keys.Locator("[data-key=left]").ClickAsync();
        await keys.Locator("[data-key=ctrl]").ClickAsync();
        await page.Keyboard.TypeAsync("x"); // the soft keyboard's next key, with the sticky Ctrl
        await page.Keyboard.PressAsync("Enter");
        await terminal.WaitForTextAsync("^[^[[A^[[D^X");
        (await keys.Locator("[data-key=ctrl]").GetAttributeAsync("aria-pressed")).ShouldBe("false"); // let go after one key

        await keys.Locator("[data-key=ctrl]").ClickAsync();
        await page.Keyboard.TypeAsync("c"); // Ctrl+C ends cat
        await terminal.TypeLineAsync("echo after-$((40+2))");
        try
        {
            await terminal.WaitForTextAsync("after-42");
        }
        finally
        {
            await Screenshots.SaveAsync(page, "ide-phone-debug");
        }

        await Screenshots.SaveAsync(page, "ide-phone");
        await pages.ShouldBeCleanAsync();
    }
}
