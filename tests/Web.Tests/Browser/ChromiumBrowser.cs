using Microsoft.Playwright;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright (never `playwright install`: nothing can be downloaded here). One browser
/// per test class; each test gets its own context, so localStorage starts empty.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.BrowserSkipReason is not null)
        {
            return; // The tests using it are skipped; do not fail the fixture.
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_playwright is null)
        {
            return;
        }

        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
