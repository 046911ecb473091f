using Microsoft.Playwright;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>
/// Copy and paste over plain http under a name that is not localhost (no secure context, so no async Clipboard API):
/// copying goes through the textarea fallback, pasting through the dialog. Chromium resolves <c>remolt.test</c> to the
/// app's loopback port; the app is told to answer to that name.
/// </summary>
public sealed class InsecureOriginClipboardTests : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.BrowserSkipReason is not null)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--host-resolver-rules=MAP remolt.test 127.0.0.1"],
        });
    }

    [BrowserFact]
    public async Task PlainHttp_CopyFallsBackToTextareaAndPasteAsksInADialog()
    {
        await using var workspace = await BrowserWorkspace.StartAsync(settings: new Dictionary<string, string?> { ["REMOLT_ALLOWED_HOSTS"] = "remolt.test,127.0.0.1" });
        var named = new UriBuilder(workspace.App.BaseAddress) { Host = "remolt.test" }.Uri;
        var pages = await BrowserPages.OpenAsync(_browser!, named, BrowserPages.Desktop);
        var page = pages.Page;
        await page.GotoAsync($"session/{workspace.Session.Id}");
        var terminal = new TerminalPage(page, ".terminal-pane.active");
        await terminal.WaitForTextAsync("$ ");
        (await page.EvaluateAsync<bool>("() => window.isSecureContext")).ShouldBeFalse();

        await terminal.TypeLineAsync("echo copy-me-$((6*7))");
        await terminal.WaitForTextAsync("copy-me-42\n");
        await TerminalClipboard.ShiftDoubleClickRowAsync(page, "copy-me-42");
        await page.WaitForFunctionAsync("() => document.querySelector('.terminal-pane.active .terminal-host').dataset.lastCopy === 'fallback'");
        // What the fallback copied is on the browser's clipboard: a secure page of the same browser reads it back.
        var reader = await BrowserPages.OpenAsync(_browser!, workspace.App.BaseAddress, BrowserPages.Desktop);
        await reader.Page.GotoAsync("/health");
        (await reader.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()")).ShouldBe("copy-me-42");

        await page.Locator("#terminal-paste").ClickAsync();
        var dialog = page.Locator("[data-testid=paste-dialog]");
        await dialog.WaitForAsync();
        await page.Locator("#paste-text").FillAsync("echo pasted-$((5*5))");
        await page.Locator("#paste-send").ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await terminal.WaitForTextAsync("echo pasted-$((5*5))");
        await page.WaitForFunctionAsync("() => document.activeElement?.classList.contains('xterm-helper-textarea')"); // back in the terminal
        await page.Keyboard.PressAsync("Enter");
        await terminal.WaitForTextAsync("pasted-25");

        await pages.ShouldBeCleanAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
