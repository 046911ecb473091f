using System.Net;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// The page shown while nothing listens on the proxied port yet (a dashboard or code-server still booting, a dev
/// server not started): 200 so the iframe shows it, and a refresh every 3 seconds until the real page answers.
/// Styled like the app (Tokyo Night), self-contained (no script, no external resource).
/// </summary>
internal static class StartingPage
{
    public static string TitleFor(ProxyTarget target) => target.Kind switch
    {
        ProxyKind.Dashboard => "Starting dashboard...",
        ProxyKind.VsCode => "Starting VS Code...",
        _ => $"Waiting for port {target.Port}...",
    };

    public static string DetailFor(ProxyTarget target) => target.Kind switch
    {
        ProxyKind.Preview => $"Nothing listens on port {target.Port} in the sandbox yet. This page reloads until something does.",
        _ => "It is not answering yet. This page reloads until it does.",
    };

    public const string NotInstalledTitle = "VS Code is not installed in this sandbox";

    public const string NotInstalledDetail =
        "This sandbox image has no code-server (it was built with --test-base or --no-code-server). "
        + "Build the image with container/build-images.sh to get VS Code here.";

    public static string Html(ProxyTarget target) => Page(TitleFor(target), DetailFor(target), waiting: true);

    /// <summary>For a sandbox without code-server: says so, with no spinner and no reload.</summary>
    public static string NotInstalledHtml() => Page(NotInstalledTitle, NotInstalledDetail, waiting: false);

    private static string Page(string titleText, string detailText, bool waiting)
    {
        var title = WebUtility.HtmlEncode(titleText);
        var detail = WebUtility.HtmlEncode(detailText);
        var refresh = waiting ? "<meta http-equiv=\"refresh\" content=\"3\">" : "";
        var spinner = waiting ? $"<div class=\"spinner\" role=\"progressbar\" aria-label=\"{title}\"></div>" : "";
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            {{refresh}}
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title>
            <style>
            html, body { margin: 0; height: 100%; background: #1a1b26; color: #a9b1d6; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
            main { height: 100%; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 1rem; }
            .spinner { width: 2.5rem; height: 2.5rem; border: 3px solid #3b4261; border-top-color: #7aa2f7; border-radius: 50%; animation: spin 1s linear infinite; }
            h1 { margin: 0; font-size: 1.1rem; font-weight: 600; color: #c0caf5; }
            p { margin: 0; font-size: .9rem; color: #787c99; }
            @keyframes spin { to { transform: rotate(360deg); } }
            </style>
            </head>
            <body><main>{{spinner}}<h1>{{title}}</h1><p>{{detail}}</p></main></body>
            </html>
            """;
    }
}
