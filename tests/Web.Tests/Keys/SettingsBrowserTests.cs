using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Keys;

/// <summary>The settings dialog in Chromium against real Docker: a key added there reaches a new session's shell.</summary>
public sealed class SettingsBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private const string Value = "sk-ant-browser-61f0d3a9b8";

    [BrowserFact]
    public async Task KeyAddedInTheDialog_ShowsConfigured_SurvivesAReload_AndIsInANewSessionsEnvironment()
    {
        await SandboxImage.EnsureBuiltAsync();
        await using var app = new RemoltAppFactory();
        var page = await chromium.NewPageAsync(app.BaseAddress);
        await page.GotoAsync("/");
        await page.Locator("#launch:not([disabled])").WaitForAsync();

        var dialog = await OpenSettingsAsync(page);
        var row = dialog.Locator("[data-key=ANTHROPIC_API_KEY]");
        (await row.GetAttributeAsync("data-configured")).ShouldBe("false");
        await page.Locator("#key-ANTHROPIC_API_KEY").FillAsync(Value);
        await row.Locator("button[data-action=save]").ClickAsync();
        await dialog.Locator("[data-key=ANTHROPIC_API_KEY][data-configured=true]").WaitForAsync();
        (await page.Locator("#key-ANTHROPIC_API_KEY").InputValueAsync()).ShouldBeEmpty();
        (await page.ContentAsync()).ShouldNotContain(Value);
        await Screenshots.SaveAsync(page, "settings-keys");

        await page.ReloadAsync();
        await page.Locator("#launch:not([disabled])").WaitForAsync();
        dialog = await OpenSettingsAsync(page);
        await dialog.Locator("[data-key=ANTHROPIC_API_KEY][data-configured=true]").WaitForAsync();
        (await dialog.Locator("[data-key=ANTHROPIC_API_KEY]").InnerTextAsync()).ShouldContain("configured");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).First.ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        await page.Locator("#launch:not([disabled])").ClickAsync();
        await page.WaitForURLAsync("**/session/*", new() { Timeout = 60_000 });
        var terminal = new TerminalPage(page);
        await terminal.WaitForTextAsync("$ ");
        await terminal.TypeLineAsync("echo \"stored=[$ANTHROPIC_API_KEY]\"");
        await terminal.WaitForTextAsync($"stored=[{Value}]");
    }

    private static async Task<ILocator> OpenSettingsAsync(IPage page)
    {
        await page.Locator("#open-settings:not([disabled])").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator("[data-key=ANTHROPIC_API_KEY]").WaitForAsync();
        return dialog;
    }
}
