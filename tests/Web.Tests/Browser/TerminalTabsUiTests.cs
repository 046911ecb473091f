using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>Terminal tabs in a real browser: rename (kept across a reload), keyboard, close, and tmux sizes of hidden tabs.</summary>
public sealed partial class TerminalTabsUiTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task Tabs_AddRenameReloadKeyboardClose_LabelPersistsAndKeysWork()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var pages = await BrowserPages.OpenAsync(chromium.Browser, workspace.App.BaseAddress, BrowserPages.Desktop);
        var page = pages.Page;
        await page.GotoAsync($"session/{workspace.Session.Id}");
        await new TerminalPage(page, ".terminal-pane.active").WaitForTextAsync("$ ");

        await page.Locator("#add-terminal").ClickAsync();
        var second = page.Locator("[role=tab][data-window='1']");
        await page.Locator("[role=tab][aria-selected=true][data-window='1']").WaitForAsync();
        await second.DblClickAsync();
        await page.Locator("#tab-rename").FillAsync("build");
        await page.Locator("#tab-rename").PressAsync("Enter");
        await second.GetByRole(AriaRole.Button, new() { Name = "build", Exact = true }).WaitForAsync();

        await page.ReloadAsync();
        await second.GetByRole(AriaRole.Button, new() { Name = "build", Exact = true }).WaitForAsync(); // the name came back from localStorage
        (await page.Locator("[role=tab][data-window='0']").InnerTextAsync()).ShouldContain("Term 1");

        // Keyboard: arrows move focus and selection together, End and Home jump, Delete closes a terminal tab.
        await page.Locator("[role=tab][data-window='0'] .tab-button").ClickAsync();
        await page.Locator("#term-0").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Locator("[role=tab][aria-selected=true][data-window='1']").WaitForAsync();
        await WaitForFocusAsync(page, "term-1");
        await page.Keyboard.PressAsync("End");
        await page.Locator("[role=tab][aria-selected=true][data-service=vscode]").WaitForAsync();
        await WaitForFocusAsync(page, "service-vscode");
        await page.Keyboard.PressAsync("Home");
        await WaitForFocusAsync(page, "term-0");
        await page.Keyboard.PressAsync("ArrowRight");
        await WaitForFocusAsync(page, "term-1");
        await page.Keyboard.PressAsync("Delete");
        await second.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.Locator("[role=tab][aria-selected=true][data-window='0']").WaitForAsync();
        await WaitForFocusAsync(page, "term-0");

        await pages.ShouldBeCleanAsync();
    }

    [BrowserFact]
    public async Task HiddenTab_WindowResized_ItsTmuxClientKeepsTheFullSize()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var pages = await BrowserPages.OpenAsync(chromium.Browser, workspace.App.BaseAddress, BrowserPages.Desktop);
        var page = pages.Page;
        await page.GotoAsync($"session/{workspace.Session.Id}");
        var first = new TerminalPage(page, "#pane-term-0");
        await first.WaitForTextAsync("$ ");
        await page.Locator("#add-terminal").ClickAsync();
        await new TerminalPage(page, "#pane-term-1").WaitForTextAsync("$ ");

        // Back to the first tab: the second is hidden now. Switch a few times, then shrink the window.
        for (var i = 0; i < 3; i++)
        {
            await page.Locator("[role=tab][data-window='1'] .tab-button").ClickAsync();
            await page.Locator("[role=tab][data-window='0'] .tab-button").ClickAsync();
        }

        await page.SetViewportSizeAsync(1100, 700);
        await Task.Delay(800); // the resize observer's debounce, then the round trip to tmux

        await first.TypeLineAsync("tmux list-clients -F 'client #{session_name}=#{client_width}x#{client_height}'");
        var screen = await first.WaitForTextAsync("client main-1=");
        var sizes = ClientSize().Matches(screen).ToDictionary(m => m.Groups[1].Value, m => (W: Int(m.Groups[2].Value), H: Int(m.Groups[3].Value)));
        sizes.ShouldContainKey("main");
        sizes.ShouldContainKey("main-1");
        sizes["main"].W.ShouldBeGreaterThan(100); // 1100 px of 14 px monospace
        sizes["main-1"].ShouldBe(sizes["main"]); // the hidden tab's tmux is neither zero nor tiny: the same size as the shown one

        await pages.ShouldBeCleanAsync();
    }

    [BrowserFact]
    public async Task Reattach_KeyboardOnATab_TheTerminalsLeaveItThere()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        await using var proxy = new TcpDropProxy(workspace.App.BaseAddress);
        await workspace.OpenAsync(chromium, address: proxy.Address);
        var page = workspace.Page;
        var clients = workspace.App.Services.GetRequiredService<TerminalClients>();
        await page.Locator("#add-terminal").ClickAsync();
        await new TerminalPage(page, "#pane-term-1").WaitForTextAsync("$ ");
        await WaitUntilAsync(() => clients.CountOf(workspace.Session.Id) == 2, "both terminals attached");

        // The keyboard is on the tabs when the network drops; both terminals re-attach (one of them hidden) meanwhile.
        await page.Locator("#term-0").FocusAsync();
        proxy.DropAll().ShouldBeGreaterThan(0);
        await WaitUntilAsync(() => clients.CountOf(workspace.Session.Id) == 0, "the drop detached the terminals");
        await WaitUntilAsync(() => clients.CountOf(workspace.Session.Id) == 2, "both terminals re-attached");
        await page.WaitForTimeoutAsync(1000); // the attach's focus call comes right after the attach

        (await page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''")).ShouldBe("term-0");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    private static async Task WaitForFocusAsync(IPage page, string id) =>
        await page.WaitForFunctionAsync("id => document.activeElement && document.activeElement.id === id", id);

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"client (main(?:-\d)?)=(\d+)x(\d+)")]
    private static partial Regex ClientSize();
}
