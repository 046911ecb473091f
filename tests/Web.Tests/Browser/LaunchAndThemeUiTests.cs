using Microsoft.Playwright;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>The launch page's sessions table, and the light theme: from the system, toggled, kept, and followed by the terminal.</summary>
public sealed class LaunchAndThemeUiTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private const string LightBackground = "#f6f8fa";
    private const string DarkBackground = "#0f1218";

    [BrowserFact]
    public async Task LaunchPage_Sessions_TableTicksResumesAndEnds()
    {
        await using var app = new RemoltAppFactory(runtime: new FakeSandboxRuntime());
        var first = await app.Sessions.CreateAsync("anonymous", new CreateSessionRequest(), CancellationToken.None);
        await app.Sessions.CreateAsync("anonymous", new CreateSessionRequest("codex"), CancellationToken.None);
        var pages = await BrowserPages.OpenAsync(chromium.Browser, app.BaseAddress, BrowserPages.Desktop);
        var page = pages.Page;

        await page.GotoAsync("/");
        await page.Locator("#launch:not([disabled])").WaitForAsync();
        var rows = page.Locator("[data-testid=running-session]");
        (await rows.CountAsync()).ShouldBe(2);
        var row = page.Locator($"[data-testid=running-session][data-session='{first.Id}']");
        (await row.Locator(".status").InnerTextAsync()).ShouldBe("Running");
        (await row.Locator("[data-testid=last-activity]").InnerTextAsync()).ShouldBe("just now");
        var uptime = await row.Locator("[data-testid=uptime]").InnerTextAsync();
        await page.WaitForFunctionAsync(
            "([sel, before]) => document.querySelector(sel).textContent.trim() !== before",
            new object[] { $"[data-session='{first.Id}'] [data-testid=uptime]", uptime.Trim() }); // it ticks
        await Screenshots.SaveAsync(page, "launch-desktop");
        await pages.ShouldBeCleanAsync();

        (await row.GetByRole(AriaRole.Link, new() { Name = "Resume" }).GetAttributeAsync("href")).ShouldBe($"session/{first.Id}");
        await row.GetByRole(AriaRole.Button, new() { Name = "End" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "End session" }).ClickAsync();
        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await rows.CountAsync()).ShouldBe(1);
        app.Sessions.ListRunning("anonymous").ShouldHaveSingleItem();

        // A phone: the table stacks into cards, and nothing scrolls sideways.
        var phone = await BrowserPages.OpenAsync(chromium.Browser, app.BaseAddress, BrowserPages.Phone);
        await phone.Page.GotoAsync("/");
        await phone.Page.Locator("#launch:not([disabled])").WaitForAsync();
        await Screenshots.SaveAsync(phone.Page, "launch-phone");
        await phone.ShouldBeCleanAsync();
    }

    [BrowserFact]
    public async Task Theme_SystemLightToggledAndKept_TerminalFollowsLive()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var pages = await BrowserPages.OpenAsync(chromium.Browser, workspace.App.BaseAddress, BrowserPages.Desktop, ColorScheme.Light);
        var page = pages.Page;

        // No choice yet: the system's light preference wins.
        await page.GotoAsync($"session/{workspace.Session.Id}");
        var terminal = new TerminalPage(page, ".terminal-pane.active");
        await terminal.WaitForTextAsync("$ ");
        await page.Locator(".theme-toggle[data-theme=light]").WaitForAsync();
        await WaitForTerminalBackgroundAsync(page, LightBackground);
        await Screenshots.SaveAsync(page, "ide-light");

        // The toggle: dark now, the terminal re-themed in place (same xterm instance, same screen).
        await page.Locator(".theme-toggle").ClickAsync();
        await page.Locator(".theme-toggle[data-theme=dark]").WaitForAsync();
        await WaitForTerminalBackgroundAsync(page, DarkBackground);
        (await terminal.ScreenTextAsync()).ShouldContain("$ ");
        await page.Locator(".theme-toggle").ClickAsync();
        await WaitForTerminalBackgroundAsync(page, LightBackground);

        // Kept: the reload is prerendered light already (the cookie), before any script ran.
        var response = await page.ReloadAsync();
        var html = await response!.TextAsync();
        html.ShouldMatch(@"--mud-palette-background:\s*rgba\(246,\s*248,\s*250"); // the light palette's background
        await terminal.WaitForTextAsync("$ ");
        await WaitForTerminalBackgroundAsync(page, LightBackground);
        (await page.Context.CookiesAsync()).ShouldContain(c => c.Name == "remolt-theme" && c.Value == "light");

        await pages.ShouldBeCleanAsync();
    }

    private static Task WaitForTerminalBackgroundAsync(IPage page, string colour) =>
        page.WaitForFunctionAsync(
            "c => document.querySelector('.terminal-pane.active .terminal-host').__remoltTerm.options.theme.background.toLowerCase() === c", colour);
}
