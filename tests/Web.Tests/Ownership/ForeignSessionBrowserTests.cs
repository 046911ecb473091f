using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Ownership.TwoUsersFixture;

namespace RemoltBlazor.Web.Tests.Ownership;

/// <summary>
/// The Blazor pages as two users in Chromium (signed in by the test cookie, which the circuit's socket carries too):
/// bob opening alice's workspace sees the page an unknown id gets, and the launch page lists only the caller's sessions.
/// </summary>
public sealed class ForeignSessionBrowserTests(ChromiumBrowser chromium, TwoUsersFixture users)
    : IClassFixture<ChromiumBrowser>, IClassFixture<TwoUsersFixture>
{
    [BrowserFact]
    public async Task WorkspacePage_BobOnAlicesSession_ShowsTheUnknownIdPage()
    {
        var page = await NewPageAsAsync(Bob);

        var theirs = await NotAvailableTextAsync(page, users.AlicesSession.Id);
        var unknown = await NotAvailableTextAsync(page, users.UnknownId);

        theirs.ShouldContain("This session does not exist or has ended.");
        theirs.ShouldNotContain(users.AlicesSession.Id);
        unknown.ShouldBe(theirs.Replace(users.AlicesSession.Id, users.UnknownId, StringComparison.Ordinal));
        (await page.Locator("#end-session").CountAsync()).ShouldBe(0);
        users.AlicesSession.IsRunning.ShouldBeTrue();
    }

    [BrowserFact]
    public async Task WorkspacePage_AliceOnHerSession_OpensIt()
    {
        var page = await NewPageAsAsync(Alice);

        await page.GotoAsync($"session/{users.AlicesSession.Id}");

        await page.Locator("#end-session").WaitForAsync();
        (await page.GetByText("Session not available").CountAsync()).ShouldBe(0);
    }

    [BrowserFact]
    public async Task LaunchPage_ListsOnlyTheCallersSessions()
    {
        (await RunningSessionLinksAsync(Alice)).ShouldBe([$"session/{users.AlicesSession.Id}"]);
        (await RunningSessionLinksAsync(Bob)).ShouldBe([$"session/{users.BobsSession.Id}"]);
    }

    private async Task<IPage> NewPageAsAsync(string login)
    {
        var page = await chromium.NewPageAsync(users.App.BaseAddress);
        await page.Context.AddCookiesAsync([new Cookie
        {
            Name = TestUserAuthentication.UserCookie,
            Value = login,
            Url = users.App.BaseAddress.ToString(),
        }]);
        return page;
    }

    private static async Task<string> NotAvailableTextAsync(IPage page, string id)
    {
        await page.GotoAsync($"session/{id}");
        var notice = page.Locator(".mud-container", new() { HasText = "Session not available" });
        await notice.WaitForAsync();
        return await notice.InnerTextAsync();
    }

    private async Task<string[]> RunningSessionLinksAsync(string login)
    {
        var page = await NewPageAsAsync(login);
        await page.GotoAsync("/");
        await page.Locator("#launch:not([disabled])").WaitForAsync(); // interactive: the circuit has rendered as this user
        var rows = page.Locator("[data-testid=running-session] a[href^='session/']");
        await rows.First.WaitForAsync();
        var links = new List<string>();
        foreach (var row in await rows.AllAsync())
        {
            links.Add(await row.GetAttributeAsync("href") ?? "");
        }

        return [.. links];
    }
}
