using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>A sign-in link printed by a program in the terminal is offered in a banner, and its code goes back in.</summary>
public sealed class AuthUrlBannerTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task SignInLinkInOutput_ShowsBanner_AndSendCodeTypesIt()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var terminal = await workspace.OpenAsync(chromium);
        var page = workspace.Page;

        // Like an agent's login: a coloured URL on its own line, then a prompt for the code.
        await terminal.TypeLineAsync(
            "printf '\\033[34mhttps://claude.ai/oauth/authorize?client_id=abc&state=%s\\033[0m\\n' xyz; read -r -p 'Paste code > ' code; echo got=$code");

        var banner = page.Locator("[data-testid=auth-url]");
        await banner.WaitForAsync(new() { Timeout = 20_000 });
        (await banner.Locator("[data-testid=auth-url-link]").GetAttributeAsync("href")).ShouldBe("https://claude.ai/oauth/authorize?client_id=abc&state=xyz");
        await Screenshots.SaveAsync(page, "workspace-auth-url");

        await banner.GetByLabel("Code from the sign-in page").FillAsync("CODE-1234");
        await banner.Locator("button:has-text('Send code')").ClickAsync();

        await terminal.WaitForTextAsync("got=CODE-1234");
        (await banner.CountAsync()).ShouldBe(0);
    }
}
