using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Users;
using RemoltBlazor.Web.Auth;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// How the apps origin knows who is there without the app's cookie (which a browser also sends to the app's host on
/// another port, and which a sandbox page must never be able to use). The app, where the user is signed in, checks
/// the session is theirs and mints a short-lived ticket (Data Protection: session, owner, target path, expiry);
/// the apps origin's <c>/_apps/enter</c> exchanges it for its own per-session cookie <c>remolt_apps_{id}</c>
/// (HttpOnly, SameSite=Lax, Data Protection, hours), and the proxies there read only that cookie. Proxies never
/// forward <c>remolt*</c> cookies upstream, so neither reaches the sandbox.
/// A ticket minted under a sign-in carries its id, and the apps cookie is honoured only while that sign-in lasts: a
/// logout or a disabled user closes the apps origin too, not only the app.
/// </summary>
internal sealed class AppsTickets(IDataProtectionProvider protection, TimeProvider clock, SignInSessionStore signIns, IOptions<AuthOptions> auth)
{
    public const string EnterPath = "/_apps/enter";

    /// <summary>A ticket is usable for this long: enough for a session response to be used by the page that got it.</summary>
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The apps cookie lasts a working day; it names one session, which ends on its own anyway.</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(12);

    private readonly ITimeLimitedDataProtector _tickets = protection.CreateProtector("RemoltBlazor.Apps.Ticket").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector _cookies = protection.CreateProtector("RemoltBlazor.Apps.Cookie").ToTimeLimitedDataProtector();

    public static string CookieName(string sessionId) => "remolt_apps_" + sessionId;

    /// <summary>
    /// The apps-origin URL that signs the caller of <paramref name="appRequest"/> in there for
    /// <paramref name="sessionId"/> and goes on to <paramref name="path"/>. The app's origin goes along: only it
    /// (and the apps origin itself) may frame what the apps origin serves.
    /// </summary>
    public string EnterUrl(HttpRequest appRequest, string appsOrigin, string sessionId, string owner, string path)
    {
        var appOrigin = $"{appRequest.Scheme}://{appRequest.Host.Value}";
        var signIn = appRequest.HttpContext.User.FindFirst(RemoltClaims.SignInId)?.Value ?? "";
        var ticket = _tickets.Protect(string.Join('\n', sessionId, owner, path, appOrigin, signIn), clock.GetUtcNow() + TicketLifetime);
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
        if (!TryRead(_tickets, http.Request.Query["ticket"].ToString(), 5, out var parts)
            || !IsUnder(parts[2], parts[0]))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("This link has expired or is not valid. Open it again from RemoltBlazor.");
            return;
        }

        var (sessionId, owner, path, appOrigin, signIn) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
        var pass = string.Join('\n', sessionId, owner, appOrigin, signIn);
        http.Response.Cookies.Append(CookieName(sessionId), _cookies.Protect(pass, clock.GetUtcNow() + CookieLifetime), new CookieOptions
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

    /// <summary>
    /// Who the apps cookie of <paramref name="sessionId"/> says this is and which app origin sent them, or null
    /// without a valid one. On the apps origin this is the only identity: never the app's sign-in, which the browser
    /// sends along to another port of the same host.
    /// </summary>
    public async Task<AppsPass?> ReadAsync(HttpContext http, string sessionId)
    {
        if (!TryRead(_cookies, http.Request.Cookies[CookieName(sessionId)], 4, out var parts) || parts[0] != sessionId)
        {
            return null;
        }

        var (owner, appOrigin, signIn) = (parts[1], parts[2], parts[3]);
        if (signIn.Length > 0)
        {
            // Minted under a sign-in: only while it lasts (the same check the app's cookie gets on every request).
            var check = await signIns.CheckAsync(signIn, auth.Value.SignInLifetime, http.RequestAborted);
            if (!check.Valid || !string.Equals(check.Login, owner, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return new AppsPass(owner, appOrigin);
    }

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

/// <summary>What an apps cookie carries: the session's owner and the app origin that may frame its content.</summary>
internal sealed record AppsPass(string Owner, string AppOrigin);
