using Microsoft.Playwright;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>
/// Pages at a chosen size (a 1920x1080 desktop, a 390x844 phone with touch) and colour scheme, each with a record of
/// every <c>console.error</c> and uncaught page error, which a test fails on.
/// </summary>
internal sealed class BrowserPages
{
    public static readonly ViewportSize Desktop = new() { Width = 1920, Height = 1080 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly List<string> _errors = [];

    private BrowserPages(IPage page) => Page = page;

    public IPage Page { get; }

    /// <summary>Console errors and page errors seen so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public static async Task<BrowserPages> OpenAsync(IBrowser browser, Uri baseAddress, ViewportSize viewport, ColorScheme scheme = ColorScheme.Dark)
    {
        var phone = viewport.Width < 600;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = viewport,
            IsMobile = phone,
            HasTouch = phone,
            ColorScheme = scheme,
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(30_000);
        var pages = new BrowserPages(await context.NewPageAsync());
        pages.Page.Console += (_, message) =>
        {
            if (ConsoleErrors.IsPageError(message))
            {
                pages.Add($"console.error: {message.Text}");
            }
        };
        pages.Page.PageError += (_, error) => pages.Add($"page error: {error}");
        return pages;
    }

    /// <summary>Fails when the page logged an error or scrolls sideways (wider content than the viewport).</summary>
    public async Task ShouldBeCleanAsync()
    {
        Errors.ShouldBeEmpty();
        var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        overflow.ShouldBeLessThanOrEqualTo(0, "the page scrolls horizontally");
    }

    private void Add(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
