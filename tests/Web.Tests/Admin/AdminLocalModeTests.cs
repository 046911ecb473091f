using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Admin;

/// <summary>Local mode (no sign-in configured): the single local user is the admin, so the launch page links the admin page.</summary>
public sealed class AdminLocalModeTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task LocalMode_LaunchPageLinksTheAdminPage_WhichIsLive()
    {
        await SandboxImage.EnsureBuiltAsync();
        await using var app = new RemoltAppFactory();
        var page = await chromium.NewPageAsync(app.BaseAddress);

        await page.GotoAsync("/");
        await page.Locator("#launch:not([disabled])").WaitForAsync();
        await page.Locator("[data-testid=admin-link]").ClickAsync();

        await page.WaitForURLAsync("**/admin");
        await page.Locator("[data-testid=feed-state]:has-text('live')").WaitForAsync();
        await page.Locator("[data-testid=runtime-health]:has-text('healthy')").WaitForAsync();
    }
}
