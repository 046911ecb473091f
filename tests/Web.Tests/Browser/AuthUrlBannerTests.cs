using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>A sign-in link printed by a program in the terminal is offered in a banner, and its code goes back in.</summary>
public sealed class AuthUrlBannerTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task SignInLinkInOutput_ShowsBanner_AndSendCodeTypesIt()
    {
        await SandboxImage.EnsureBuiltAsync();
        await using var app = new RemoltAppFactory();
        var session = await app.Sessions.CreateAsync("anonymous", new CreateSessionRequest(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var page = await chromium.NewPageAsync(app.BaseAddress);
        await page.GotoAsync($"session/{session.Id}");
        var terminal = new TerminalPage(page);
        await terminal.WaitForTextAsync("$ ");

        // Like an agent's login: a coloured URL on its own line, then a prompt for the code.
        await terminal.TypeLineAsync(
            "printf '\\033[34mhttps://claude.ai/oauth/authorize?client_id=abc&state=%s\\033[0m\\n' xyz; read -r -p 'Paste code > ' code; echo got=$code");

        var banner = page.Locator("[data-testid=auth-url]");
        await banner.WaitForAsync(new() { Timeout = 20_000 });
        (await banner.Locator(".auth-url").GetAttributeAsync("href")).ShouldBe("https://claude.ai/oauth/authorize?client_id=abc&state=xyz");
        await Screenshots.SaveAsync(page, "workspace-auth-url");

        await banner.Locator(".auth-code").FillAsync("CODE-1234");
        await banner.Locator("button:has-text('Send code')").ClickAsync();

        await terminal.WaitForTextAsync("got=CODE-1234");
        (await banner.CountAsync()).ShouldBe(0);
    }
}
