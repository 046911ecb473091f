using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>The workspace page in a real browser: terminal tabs, the idle warning and the end of a session.</summary>
public sealed class WorkspaceTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task Tabs_AddSecondTerminal_IsTmuxSessionMain1AndCounted()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        await workspace.OpenAsync(chromium);
        var (app, session, page) = (workspace.App, workspace.Session, workspace.Page);

        await page.Locator("#add-terminal").ClickAsync();
        var second = page.Locator(".terminal-pane.active .terminal-host");
        await page.Locator("[role=tab][aria-selected=true][data-window='1']").WaitForAsync();
        var terminal = new TerminalPage(page, ".terminal-pane.active");
        await terminal.WaitForTextAsync("$ ");
        await terminal.TypeLineAsync("tmux display-message -p 'in=#{session_name}'");
        await terminal.WaitForTextAsync("in=main-1");
        await Screenshots.SaveAsync(page, "workspace-two-tabs");

        (await app.Sessions.CountTerminalsAsync(session, CancellationToken.None)).ShouldBe(2);
        await page.ReloadAsync();
        await page.Locator("[role=tab][data-window='1']").WaitForAsync(); // the server's count brings the tab back
        (await second.CountAsync()).ShouldBe(1);
    }

    [BrowserFact]
    public async Task IdleSession_WithBrowserOpen_IsWarnedKeptAliveThenReaped()
    {
        await using var workspace = await BrowserWorkspace.StartAsync(settings: new Dictionary<string, string?>
        {
            ["REMOLT_MAX_IDLE_SECONDS"] = "12",
            ["REMOLT_CLEANUP_INTERVAL"] = "1",
            ["REMOLT_IDLE_WARNING_SECONDS"] = "6",
        });
        await workspace.OpenAsync(chromium);
        var (app, session, page) = (workspace.App, workspace.Session, workspace.Page);

        await page.Locator("[data-testid=ending-soon]").WaitForAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(page, "workspace-idle-warning");
        await page.Locator("#keep-alive").ClickAsync();
        await page.Locator("[data-testid=ending-soon]").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden });
        app.Sessions.Snapshot().ShouldContain(session);

        await page.Locator("[data-testid=session-ended]").WaitForAsync(new() { Timeout = 40_000 });
        (await page.Locator("[data-testid=session-ended]").InnerTextAsync()).ShouldContain("idle");
        await Screenshots.SaveAsync(page, "workspace-ended");
        app.Sessions.Snapshot().ShouldNotContain(session);
    }
}
