using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Users;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Controls;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Auth;

/// <summary>The <c>token</c> mode's sign-in form in Chromium, and an open page that loses its sign-in.</summary>
public sealed class TokenBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [ChromiumFact]
    public async Task TokenForm_SignsIn_AndAnOpenPageGoesToSignInOnceTheSignInIsRevoked()
    {
        await using var app = new RemoltAppFactory(
            new Dictionary<string, string?> { ["REMOLT_AUTH"] = "token", ["REMOLT_SIGNIN_RECHECK"] = "00:00:01" }, new FakeSandboxRuntime());
        var page = await chromium.NewPageAsync(app.BaseAddress);

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/signin?returnUrl=%2F");
        await page.Locator("#token").FillAsync("not-the-token");
        await page.Locator("[data-testid=signin-token-form] button[type=submit]").ClickAsync();
        await page.Locator("h1:has-text('Wrong token')").WaitForAsync();

        await page.GotoAsync("/signin?returnUrl=%2F");
        await page.Locator("#token").FillAsync(File.ReadAllText(Path.Combine(app.DataDirectory, "login-token")).Trim());
        await Screenshots.SaveAsync(page, "signin-token");
        await page.Locator("[data-testid=signin-token-form] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == "/");
        await page.Locator("[data-testid=signed-in]:has-text('anonymous')").WaitForAsync();
        // The page is open for real once its circuit runs (the prerendered page cannot notice anything).
        await page.Locator("#launch:not([disabled])").WaitForAsync(new() { Timeout = 30_000 });

        await app.Services.GetRequiredService<SignInSessionStore>().RevokeAllAsync("anonymous");

        await page.WaitForURLAsync("**/signin?returnUrl=%2F", new() { Timeout = 15_000 });
        await page.Locator("[data-testid=signin-token-form]").WaitForAsync();
    }

    [ChromiumFact]
    public async Task AuthOff_TheLaunchPageSaysSo()
    {
        await using var app = new RemoltAppFactory(null, new FakeSandboxRuntime());
        var page = await chromium.NewPageAsync(app.BaseAddress);

        await page.GotoAsync("/");

        await page.Locator("[data-testid=auth-off]:has-text('Sign-in off')").WaitForAsync();
    }
}
