using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RemoltBlazor.Web.Tests.Auth;

/// <summary>An HttpClient with a cookie jar, as a browser would keep one, following redirects only when asked.</summary>
internal sealed class CookieClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public CookieClient(Uri baseAddress, bool followRedirects = true)
    {
        Handler = new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = followRedirects, UseCookies = true };
        Http = new HttpClient(Handler) { BaseAddress = baseAddress, Timeout = Timeout };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClientHandler Handler { get; }

    public HttpClient Http { get; }

    /// <summary>The sign-in cookie's value, or null.</summary>
    public string? AuthCookie => Cookies.GetCookies(Http.BaseAddress!).FirstOrDefault(c => c.Name == "remolt_auth")?.Value;

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A client that sends exactly <paramref name="cookieValue"/> as the sign-in cookie (a copied or forged one).</summary>
    public static CookieClient WithAuthCookie(Uri baseAddress, string cookieValue)
    {
        var client = new CookieClient(baseAddress, followRedirects: false);
        client.Cookies.Add(baseAddress, new Cookie("remolt_auth", cookieValue));
        return client;
    }

    public static async Task ShouldBeAuthenticationRequiredAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"detail":"Authentication required"}""");
        // The only cookie such an answer may carry is the deletion of a dead sign-in cookie.
        foreach (var cookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            cookie.ShouldStartWith("remolt_auth=;");
            cookie.ShouldContain("expires=Thu, 01 Jan 1970", Case.Insensitive);
        }
    }

    public Task<T?> ReadAsync<T>(string path) => Http.GetFromJsonAsync<T>(path);

    public void Dispose()
    {
        Http.Dispose();
    }
}
