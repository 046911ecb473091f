using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;

namespace RemoltBlazor.Web.Tests.EngineRestart;

/// <summary>The workspace page in Chromium while the private dockerd restarts (with live-restore).</summary>
[Collection(PrivateEngineFixture.Collection)]
public sealed class EngineRestartBrowserTests(PrivateEngineFixture fixture, ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [PrivateEngineBrowserFact]
    public async Task Workspace_EngineAway_SaysReconnectingToTheEngineThenReattachesInPlace()
    {
        var engine = await fixture.RestartAsync(liveRestore: true);
        await using var workspace = await BrowserWorkspace.StartAsync(settings: fixture.AppSettings());
        var terminal = await workspace.OpenAsync(chromium);
        var page = workspace.Page;
        await terminal.TypeLineAsync("echo before-$((40+2))");
        await terminal.WaitForTextAsync("before-42");

        await engine.StopDaemonAsync();

        // A warning that says what is going on and keeps trying, over the terminal: not an error, not a dead page.
        var status = page.Locator("[data-testid=terminal-status]");
        await status.Filter(new() { HasText = "Reconnecting to the sandbox engine" }).WaitForAsync(new() { Timeout = 30_000 });
        (await status.GetAttributeAsync("data-kind")).ShouldBe("warn");
        (await status.TextContentAsync())!.ShouldContain("next attempt in");
        await Screenshots.SaveAsync(page, "workspace-engine-away");

        await engine.StartDaemonAsync(liveRestore: true);
        await status.WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 60_000 });
        await terminal.WaitForTextAsync("before-42");
        await terminal.TypeLineAsync("echo after-$((40+3))");
        await terminal.WaitForTextAsync("after-43");

        await workspace.App.EndAllSessionsAsync();
        await engine.StopDaemonAsync();
    }
}
