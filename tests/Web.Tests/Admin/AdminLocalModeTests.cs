using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Sandboxes.Monitoring;
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

    [BrowserFact]
    public async Task ConnectionDown_AdminPageLeavesTheFeed_AndRejoinsWhenBack()
    {
        await SandboxImage.EnsureBuiltAsync();
        await using var app = new RemoltAppFactory();
        await using var proxy = new TcpDropProxy(app.BaseAddress);
        var monitor = app.Services.GetRequiredService<SessionMonitor>();
        var page = await chromium.NewPageAsync(proxy.Address);

        await page.GotoAsync("/admin");
        await page.Locator("[data-testid=feed-state]:has-text('live')").WaitForAsync();
        monitor.SubscriberCount.ShouldBe(1);

        // A tab gone without the disconnect beacon: the circuit lingers for minutes, its feed must not.
        proxy.Refusing = true;
        proxy.DropAll();
        await WaitUntilAsync(() => monitor.SubscriberCount == 0, "the page still subscribed while its browser was gone");

        proxy.Refusing = false;
        await WaitUntilAsync(() => monitor.SubscriberCount == 1, "the page did not subscribe again after the reconnect");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, failure);
            await Task.Delay(100);
        }
    }
}
