using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;

namespace RemoltBlazor.Web.Tests.Container;

public sealed partial class ServerContainerTests
{
    /// <summary>
    /// The published image serves a live page, not just an API: its static assets (the Blazor script among them: a
    /// restore that missed it once left the UI dead in the image while every HTTP test passed) load, the launch page
    /// becomes interactive after the token sign-in, and a session launched from it takes typing.
    /// </summary>
    [BrowserFact]
    public async Task Browser_SignsInWithTheLoggedUrl_LaunchesAndTypes_WithoutConsoleErrors()
    {
        ReportTimes();
        var token = await server.ExecAsync("cat", "/data/login-token");
        var page = await chromium.NewPageAsync(server.BaseAddress);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (ConsoleErrors.IsPageError(message))
            {
                errors.Add(message.Text);
            }
        };

        await page.GotoAsync($"/auth/token?token={token.Trim()}");
        await page.Locator("#launch:not([disabled])").WaitForAsync(new() { Timeout = 60_000 });
        await Screenshots.SaveAsync(page, "container-launch");
        await page.Locator("#launch:not([disabled])").ClickAsync();
        await page.WaitForURLAsync("**/session/*", new() { Timeout = 90_000 });
        var terminal = new TerminalPage(page);
        await terminal.WaitForTextAsync("$ ", TimeSpan.FromSeconds(60));
        await terminal.TypeLineAsync("echo from-the-image-$((6*7))");
        await terminal.WaitForTextAsync("from-the-image-42");
        await Screenshots.SaveAsync(page, "container-workspace");

        var id = page.Url.Split('/')[^1];
        using (var client = await server.SignInAsync())
        {
            using var deleted = await client.Http.DeleteAsync($"/api/sessions/{id}");
            deleted.IsSuccessStatusCode.ShouldBeTrue(await deleted.Content.ReadAsStringAsync());
        }

        await page.Context.CloseAsync();
        errors.ShouldBeEmpty();

        // The content root is the app's folder: its appsettings.json applies (no SQL in the log) and wwwroot is found.
        var logs = await server.LogsAsync();
        logs.ShouldNotContain("Executed DbCommand");
        logs.ShouldNotContain("WebRootPath was not found");
    }
}
