using Microsoft.AspNetCore.DataProtection;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// How the apps origin knows who is there without the app's cookie (which a browser also sends to the app's host on
/// another port, and which a sandbox page must never be able to use). The app, where the user is signed in, checks
/// the session is theirs and mints a short-lived ticket (Data Protection: session, owner, target path, expiry);
/// the apps origin's <c>/_apps/enter</c> exchanges it for its own per-session cookie <c>remolt_apps_{id}</c>
/// (HttpOnly, SameSite=Lax, Data Protection, hours), and the proxies there read only that cookie. Proxies never
/// forward <c>remolt*</c> cookies upstream, so neither reaches the sandbox.
/// </summary>
internal sealed class AppsTickets(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string EnterPath = "/_apps/enter";

    /// <summary>A ticket is usable for this long: enough for a session response to be used by the page that got it.</summary>
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The apps cookie lasts a working day; it names one session, which ends on its own anyway.</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(12);

    private readonly ITimeLimitedDataProtector _tickets = protection.CreateProtector("RemoltBlazor.Apps.Ticket").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector _cookies = protection.CreateProtector("RemoltBlazor.Apps.Cookie").ToTimeLimitedDataProtector();

    public static string CookieName(string sessionId) => "remolt_apps_" + sessionId;

    /// <summary>The apps-origin URL that signs the caller in there for <paramref name="sessionId"/> and goes on to <paramref name="path"/>.</summary>
    public string EnterUrl(string appsOrigin, string sessionId, string owner, string path)
    {
        var ticket = _tickets.Protect(string.Join('\n', sessionId, owner, path), clock.GetUtcNow() + TicketLifetime);
        return $"{appsOrigin}{EnterPath}?ticket={Uri.EscapeDataString(ticket)}";
    }

    /// <summary>
    /// <c>GET /_apps/enter?ticket=</c> on the apps origin: a valid ticket sets the session's apps cookie and redirects
    /// to its path (always under that session's own prefixes); anything else is a 401 page saying what to do.
    /// </summary>
    public async Task EnterAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (!TryRead(_tickets, http.Request.Query["ticket"].ToString(), 3, out var parts)
            || !IsUnder(parts[2], parts[0]))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("This link has expired or is not valid. Open it again from RemoltBlazor.");
            return;
        }

        var (sessionId, owner, path) = (parts[0], parts[1], parts[2]);
        http.Response.Cookies.Append(CookieName(sessionId), _cookies.Protect(sessionId + "\n" + owner, clock.GetUtcNow() + CookieLifetime), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Path = "/",
            IsEssential = true,
            MaxAge = CookieLifetime,
        });
        http.Response.Redirect(path);
    }

    /// <summary>Who the apps cookie of <paramref name="sessionId"/> says this is, or null without a valid one.</summary>
    public string? OwnerOf(HttpContext http, string sessionId) =>
        TryRead(_cookies, http.Request.Cookies[CookieName(sessionId)], 2, out var parts) && parts[0] == sessionId ? parts[1] : null;

    /// <summary>
    /// The caller of a proxy request: on the apps origin only its own cookie counts (never the app's sign-in, which the
    /// browser sends along); on the app origin the app's caller. A stranger on the apps origin is nobody's caller,
    /// so every session answers "not found" to them.
    /// </summary>
    public string CallerOf(HttpContext http, AppsOrigin apps, string sessionId) => apps.IsAppsRequest(http)
        ? OwnerOf(http, sessionId) ?? Nobody
        : CallerName.Of(http);

    /// <summary>An owner name no session has (a login cannot contain a newline).</summary>
    public const string Nobody = "\n";

    private static bool IsUnder(string path, string sessionId) =>
        path.StartsWith(ProxyTargets.VsCodePrefix(sessionId), StringComparison.Ordinal)
        || path.StartsWith(ProxyTargets.DashboardPrefix(sessionId), StringComparison.Ordinal);

    private static bool TryRead(ITimeLimitedDataProtector protector, string? value, int count, out string[] parts)
    {
        parts = [];
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        try
        {
            parts = protector.Unprotect(value, out _).Split('\n');
            return parts.Length == count;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false; // forged, expired, or from keys this server no longer has
        }
    }
}
