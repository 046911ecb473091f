using System.Text.Json;
using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Controls;
using RemoltBlazor.Web.Tests.Fakes;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Auth;

/// <summary>The GitHub sign-in round trip in Chromium against the local fake GitHub.</summary>
public sealed class GitHubBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>, IAsyncLifetime
{
    private FakeGitHub _github = default!;
    private RemoltAppFactory _app = default!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
        _app = new RemoltAppFactory(_github.Settings, new FakeSandboxRuntime());
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _github.DisposeAsync();
    }

    [ChromiumFact]
    public async Task OriginalFrontendsFlow_LoginLandsOnAuthed_MeNamesTheUser_SignOutEndsIt()
    {
        var page = await chromium.NewPageAsync(_app.BaseAddress);

        await page.GotoAsync("/auth/login?scopes=repo");
        await page.WaitForURLAsync("**/?authed=1");
        await page.Locator("[data-testid=signed-in]:has-text('octocat')").WaitForAsync();
        await Screenshots.SaveAsync(page, "signed-in");

        var me = JsonDocument.Parse(await page.EvaluateAsync<string>("async () => await (await fetch('/auth/me')).text()")).RootElement;
        me.GetProperty("login").GetString().ShouldBe("octocat");
        me.GetProperty("auth_required").GetBoolean().ShouldBeTrue();
        var cookies = await page.Context.CookiesAsync();
        cookies.Single(c => c.Name == "remolt_auth").HttpOnly.ShouldBeTrue();
        (await page.EvaluateAsync<string>("() => document.cookie")).ShouldNotContain("remolt_auth");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signin?returnUrl=%2F");
        await page.Locator("[data-testid=signin-github]").WaitForAsync();
        var status = await page.EvaluateAsync<int>("async () => (await fetch('/auth/me')).status");
        status.ShouldBe(401);
    }

    [ChromiumFact]
    public async Task SignInPage_Button_RoundTripsBackToThePageAsked()
    {
        var page = await chromium.NewPageAsync(_app.BaseAddress);

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/signin?returnUrl=%2F");
        await Screenshots.SaveAsync(page, "signin-github");
        await page.Locator("[data-testid=signin-github]").ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == "/");
        await page.Locator("[data-testid=signed-in]:has-text('octocat')").WaitForAsync();
    }

    [ChromiumFact]
    public async Task DeniedConsent_AndBadState_ShowReadablePages()
    {
        var page = await chromium.NewPageAsync(_app.BaseAddress);

        _github.Behaviour = FakeGitHubBehaviour.Deny;
        await page.GotoAsync("/auth/login");
        await page.Locator("h1:has-text('Sign-in cancelled')").WaitForAsync();
        (await page.Locator("#message").InnerTextAsync()).ShouldContain("Access was not granted on GitHub");

        var response = await page.GotoAsync("/auth/callback?code=stolen&state=forged");
        response!.Status.ShouldBe(400);
        await page.Locator("h1:has-text('Invalid OAuth state')").WaitForAsync();
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "remolt_auth");
    }
}
