using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>The page's scripts survive a failed load (a network blip such as Chromium's ERR_NETWORK_CHANGED).</summary>
public sealed class PageScriptTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Proxy.ChromiumTheory]
    [InlineData("**/_framework/blazor.web.js")]
    [InlineData("**/js/reconnect.js")]
    public async Task ScriptLoadFailsOnce_PageStillBecomesInteractive(string script)
    {
        await using var app = new RemoltAppFactory(runtime: new FakeSandboxRuntime());
        var page = await chromium.NewPageAsync(app.BaseAddress);
        var failed = 0;
        await page.RouteAsync(script, async route =>
        {
            if (Interlocked.Increment(ref failed) == 1)
            {
                await route.AbortAsync("internetdisconnected");
                return;
            }

            await route.ContinueAsync();
        });

        await page.GotoAsync("/");

        // Interactive: the circuit has started and rendered (the launch button is enabled only then).
        await page.Locator("#launch:not([disabled])").WaitForAsync(new() { Timeout = 30_000 });
        failed.ShouldBeGreaterThanOrEqualTo(2);
    }

    [BrowserFact]
    public Task EditorScriptLoadFailsOnce_TheFilesTabStillOpensFiles() => FilesTabAfterAFailedLoadAsync("**/js/editor.js*");

    [BrowserFact]
    public Task FilesScriptLoadFailsOnce_TheFilesTabStillOpensFiles() => FilesTabAfterAFailedLoadAsync("**/js/files.js*");

    private async Task FilesTabAfterAFailedLoadAsync(string script)
    {
        var failed = 0;
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "echo 'first line' > notes.md", page => page.RouteAsync(script, async route =>
        {
            if (Interlocked.Increment(ref failed) == 1)
            {
                await route.AbortAsync("internetdisconnected");
                return;
            }

            await route.ContinueAsync();
        }));
        await using var _ = workspace;

        await files.OpenAsync("/notes.md", "first line");
        failed.ShouldBeGreaterThanOrEqualTo(2);
    }
}
