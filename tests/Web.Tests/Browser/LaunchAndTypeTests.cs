using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>The core path in a real browser: launch from the UI, type, reload, paste, against real Docker.</summary>
public sealed class LaunchAndTypeTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task Launch_TypeReloadPaste_TerminalShowsEverything()
    {
        await SandboxImage.EnsureBuiltAsync();
        await using var app = new RemoltAppFactory();
        var page = await chromium.NewPageAsync(app.BaseAddress);

        await page.GotoAsync("/");
        await page.Locator("#launch:not([disabled])").WaitForAsync();
        await Screenshots.SaveAsync(page, "launch");
        await page.Locator("#git-name").FillAsync("Ada Lovelace");
        await page.Locator("#git-email").FillAsync("ada@example.com");
        await page.Locator("#launch:not([disabled])").ClickAsync();
        await page.WaitForURLAsync("**/session/*", new() { Timeout = 60_000 });
        var terminal = new TerminalPage(page);
        await terminal.WaitForTextAsync("$ ");

        await terminal.TypeLineAsync("echo $((6*7)) && git config user.email");
        var screen = await terminal.WaitForTextAsync("ada@example.com");
        screen.ShouldContain("42");
        await Screenshots.SaveAsync(page, "workspace-typed");

        await page.ReloadAsync();
        await terminal.WaitForTextAsync("ada@example.com");
        (await terminal.ScreenTextAsync()).ShouldContain("42");

        var pasted = BuildPaste(lines: 1000, width: 100);
        await terminal.TypeLineAsync("stty -echo; cat > /tmp/paste.txt; stty echo");
        await terminal.WaitForBracketedPasteAsync(enabled: false); // bash's mode is off once cat owns the terminal
        await terminal.PasteAsync(pasted);
        await page.Keyboard.PressAsync("Control+D");
        await terminal.TypeLineAsync("wc -c < /tmp/paste.txt; sha256sum /tmp/paste.txt");
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(pasted)));
        await terminal.WaitForTextAsync(expectedHash, TimeSpan.FromSeconds(60));
        (await terminal.ScreenTextAsync()).ShouldContain(pasted.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A new tab on the launch page offers the session this browser used last.
        var sessionId = page.Url.Split('/')[^1];
        await page.GotoAsync("/");
        await page.Locator("[data-testid=running-session][data-last-used=true] a:has-text('Resume')").ClickAsync();
        await page.WaitForURLAsync($"**/session/{sessionId}");
        await new TerminalPage(page).WaitForTextAsync("ada@example.com");

        // Ending removes the sandbox: the page asks first, and Cancel leaves the session running.
        var dialog = page.GetByRole(AriaRole.Dialog);
        await page.Locator("#end-session").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        app.Sessions.LiveCount.ShouldBe(1);
        await page.Locator("#end-session").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "End session" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/session/", StringComparison.Ordinal));
        app.Sessions.LiveCount.ShouldBe(0);
        (await DockerCli.RunAsync($"ps -aq --filter label=remolt.session-id={sessionId}")).ShouldBeEmpty();
        (await DockerCli.RunAsync($"network ls -q --filter label=remolt.session-id={sessionId}")).ShouldBeEmpty();
    }

    private static string BuildPaste(int lines, int width)
    {
        var text = new StringBuilder(lines * width);
        for (var i = 0; i < lines; i++)
        {
            var prefix = $"{i:D5}:";
            text.Append(prefix).Append(new string((char)('a' + (i % 26)), width - prefix.Length - 1)).Append('\n');
        }

        return text.ToString();
    }
}
