using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Controls;

/// <summary>
/// A fact that needs Debian's Chromium but no Docker (unlike <see cref="BrowserFactAttribute"/>): it drives
/// wwwroot/js/terminal.js on a static page. Skips without Chromium, except in CI where it fails instead.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!TestEnvironment.IsCi && !TestEnvironment.ChromiumAvailable)
        {
            Skip = $"Chromium is not at {TestEnvironment.ChromiumPath}: apt-get install -y chromium (with CI=true this test fails instead).";
        }
    }
}
