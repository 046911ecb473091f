using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// <c>WS /</c>: OpenClaw's control UI connects to <c>wss://host/</c> rather than under its proxy path. Unlike the
/// original (section 12 item 7) it works without sign-in and does not take an arbitrary session. Which session:
/// the one named by the <c>remolt_dashboard</c> cookie (set whenever this browser opens a dashboard page, so the
/// last dashboard opened), if the caller may use it; otherwise the caller's running dashboard session with the
/// most recent activity; none: close 4004 "No active dashboard session". A plain GET <c>/</c> is the app's page.
/// </summary>
internal static class RootDashboardSocket
{
    public const string CookieName = "remolt_dashboard";

    /// <summary>
    /// The root socket on the app's origin: after authentication and authorization, so the caller is known (and
    /// refused when sign-in is on and nobody is signed in).
    /// </summary>
    public static void UseRootDashboardSocket(this WebApplication app) => app.Use(async (http, next) =>
    {
        if (http.Request.Path == "/" && http.WebSockets.IsWebSocketRequest)
        {
            await HandleAsync(http);
            return;
        }

        await next(http);
    });

    /// <summary>
    /// The root socket on the apps origin, before the app's sign-in is looked at: there the caller is known only by
    /// the session's apps cookie (the app's cookie is never read, and under REMOLT_APPS_HOST not even sent), so the
    /// app's sign-in requirement for <c>/</c> (its launch page) must not turn the socket away.
    /// </summary>
    public static void UseAppsOriginRootSocket(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Path == "/" && http.WebSockets.IsWebSocketRequest
            && http.RequestServices.GetRequiredService<AppsOrigin>().IsAppsRequest(http))
        {
            await HandleAsync(http);
            return;
        }

        await next(http);
    });

    public static void Remember(HttpContext http, string sessionId) =>
        http.Response.Cookies.Append(CookieName, sessionId, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });

    private static async Task HandleAsync(HttpContext http)
    {
        try
        {
            await HandleCoreAsync(http);
        }
        finally
        {
            http.RequestServices.GetRequiredService<Sandboxes.Metrics.RemoltMetrics>().ProxyRequest(ProxyEndpoints.MetricKind(ProxyKind.Dashboard), http.Response.StatusCode);
        }
    }

    private static async Task HandleCoreAsync(HttpContext http)
    {
        var services = http.RequestServices;
        if (!services.GetRequiredService<Realtime.OriginPolicy>().IsAllowed(http.Request))
        {
            await ProxyForwarder.RefuseSocketAsync(http, Realtime.SocketCloseCodes.Forbidden, "Invalid origin");
            return;
        }

        var target = await ChooseAsync(http, services.GetRequiredService<ProxyTargets>(), services.GetRequiredService<SessionManager>(), services.GetRequiredService<AgentCatalog>());
        if (target is null)
        {
            await ProxyForwarder.RefuseSocketAsync(http, Realtime.SocketCloseCodes.NotFound, "No active dashboard session");
            return;
        }

        await services.GetRequiredService<DashboardSocket>().ForwardAsync(http, target, "/" + http.Request.QueryString.Value);
    }

    internal static async Task<ProxyTarget?> ChooseAsync(HttpContext http, ProxyTargets targets, SessionManager sessions, AgentCatalog agents)
    {
        var services = http.RequestServices;
        var apps = services.GetRequiredService<AppsOrigin>();
        if (apps.IsAppsRequest(http))
        {
            // The apps origin knows a caller only per session, through that session's apps cookie.
            return http.Request.Cookies[CookieName] is { Length: > 0 } id && apps.Serves(http, id)
                && await services.GetRequiredService<AppsTickets>().ReadAsync(http, id) is { } pass
                ? targets.TryResolve(id, pass.Owner, ProxyKind.Dashboard).Target
                : null;
        }

        var caller = CallerName.Of(http);
        if (http.Request.Cookies[CookieName] is { Length: > 0 } remembered
            && targets.TryResolve(remembered, caller, ProxyKind.Dashboard) is ({ } named, _))
        {
            return named;
        }

        var latest = sessions.ListRunning(caller)
            .Where(s => agents.Find(s.AgentId) is { HasDashboard: true })
            .MaxBy(s => s.LastActivity);
        return latest is null ? null : targets.TryResolve(latest.Id, caller, ProxyKind.Dashboard).Target;
    }
}
