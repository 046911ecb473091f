using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>The workspace's VS Code tab (an iframe of the old path) ends up on the apps origin, not the app's.</summary>
public sealed class AppsOriginTabTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task VsCodeTab_IframeLoadsFromTheAppsOrigin()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        await workspace.OpenAsync(chromium);
        var page = workspace.Page;

        await page.Locator("button:has-text('VS Code')").ClickAsync();
        await page.Locator("[data-service=vscode] iframe.service-frame").WaitForAsync();
        var frame = await WaitForFrameAsync(page, workspace.Session.Id);

        var url = new Uri(frame.Url);
        url.Host.ShouldBe(workspace.App.BaseAddress.Host);
        url.Port.ShouldNotBe(workspace.App.BaseAddress.Port);
        url.AbsolutePath.ShouldStartWith($"/vscode/{workspace.Session.Id}/");
    }

    private static async Task<Microsoft.Playwright.IFrame> WaitForFrameAsync(Microsoft.Playwright.IPage page, string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (page.Frames.FirstOrDefault(f => f.Url.Contains($"/vscode/{id}/", StringComparison.Ordinal) && !f.Url.Contains("/_apps/", StringComparison.Ordinal)) is { } frame)
            {
                return frame;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The VS Code frame did not arrive: " + string.Join(", ", page.Frames.Select(f => f.Url)));
    }
}
