using Microsoft.Playwright;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>Keeps a picture of what a browser test saw (TestResults/screenshots), to look at after a run.</summary>
internal static class Screenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public static async Task SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png") });
    }
}
