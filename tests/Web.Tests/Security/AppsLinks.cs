using System.Net;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>Follows the apps origin's ticket links step by step, the way a browser would, with its own cookie jar.</summary>
internal sealed class AppsLinks : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public AppsLinks() => Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies }) { Timeout = s_timeout };

    public CookieContainer Cookies { get; } = new();

    public HttpClient Client { get; }

    /// <summary>
    /// Where <paramref name="url"/> (a session response's <c>vscode_url</c> or <c>proxy_url</c>) leads: it must be an
    /// apps-origin ticket link that redirects to a path there. Returns that absolute URL.
    /// </summary>
    public async Task<Uri> EnterAsync(string url, Uri appAddress)
    {
        var link = new Uri(url);
        link.AbsolutePath.ShouldBe("/_apps/enter");
        link.Authority.ShouldNotBe(appAddress.Authority, "sandbox content must not open on the app's origin");
        using var response = await Client.GetAsync(link).WaitAsync(s_timeout);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return new Uri(link, response.Headers.Location!);
    }

    /// <summary>The path and query a link ends at on the apps origin.</summary>
    public static async Task<string> TargetOfAsync(string url, Uri appAddress)
    {
        using var links = new AppsLinks();
        return (await links.EnterAsync(url, appAddress)).PathAndQuery;
    }

    public void Dispose() => Client.Dispose();
}
