using Microsoft.Playwright;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>Which console messages count as the page's errors in the browser tests' "no console errors" checks.</summary>
internal static class ConsoleErrors
{
    /// <summary>
    /// An error, except Chromium's ERR_NETWORK_CHANGED: it fails requests in flight whenever Docker adds or removes a
    /// network (other tests' sessions). That is this machine, not the page, and the page's loaders try again
    /// (PageScriptTests prove they do).
    /// </summary>
    public static bool IsPageError(IConsoleMessage message) =>
        message.Type == "error" && !message.Text.Contains("net::ERR_NETWORK_CHANGED", StringComparison.Ordinal);
}
