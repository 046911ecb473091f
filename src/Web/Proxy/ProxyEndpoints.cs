using Microsoft.AspNetCore.Http.Features;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Web.Hosting;
using RemoltBlazor.Web.Realtime;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// The proxies (behaviour page, section 8): <c>/proxy/{id}/</c> to the agent's dashboard, <c>/vscode/{id}/</c> to
/// code-server, <c>/proxy/{id}/port/{port}/</c> to any allowed port (a dev server), each HTTP and WebSocket on the
/// same path; and the root WebSocket <c>/</c> for OpenClaw. A dashboard path under <c>port/</c> is the preview, not
/// the dashboard's own.
/// </summary>
internal static class ProxyEndpoints
{
    public static WebApplication MapRemoltProxies(this WebApplication app)
    {
        app.UseRootDashboardSocket();
        app.MapGet(AppsTickets.EnterPath, (HttpContext http, AppsOrigin apps, AppsTickets tickets) =>
            apps.IsAppsRequest(http) ? tickets.EnterAsync(http) : ProxyForwarder.WriteErrorAsync(http, StatusCodes.Status404NotFound, "Not Found"))
            .RequireAuthorization(AppsOriginAuthorization.Policy);
        app.Map("/proxy/{id}/port/{port}/{**path}", (HttpContext http, string id, string port, [AsParameters] Services services) =>
            ForwardAsync(http, services, id, ProxyKind.Preview, port, prefixSegments: 4))
            .RequireAuthorization(AppsOriginAuthorization.Policy);
        app.Map("/proxy/{id}/{**path}", (HttpContext http, string id, [AsParameters] Services services) =>
            ForwardAsync(http, services, id, ProxyKind.Dashboard, null, prefixSegments: 2))
            .RequireAuthorization(AppsOriginAuthorization.Policy);
        app.Map("/vscode/{id}/{**path}", (HttpContext http, string id, [AsParameters] Services services) =>
            ForwardAsync(http, services, id, ProxyKind.VsCode, null, prefixSegments: 2))
            .RequireAuthorization(AppsOriginAuthorization.Policy);
        return app;
    }

    private static async Task ForwardAsync(HttpContext http, Services services, string id, ProxyKind kind, string? port, int prefixSegments)
    {
        try
        {
            await ForwardCoreAsync(http, services, id, kind, port, prefixSegments);
        }
        finally
        {
            // Counted once the answer is known, refusals included (an operator wants to see 404s and 502s).
            services.Metrics.ProxyRequest(MetricKind(kind), http.Response.StatusCode);
        }
    }

    /// <summary>The <c>kind</c> label: the proxy's path word (<c>/proxy/{id}/port/N/</c> is <c>port</c>).</summary>
    internal static string MetricKind(ProxyKind kind) => kind switch
    {
        ProxyKind.Dashboard => "dashboard",
        ProxyKind.VsCode => "vscode",
        _ => "port",
    };

    private static async Task ForwardCoreAsync(HttpContext http, Services services, string id, ProxyKind kind, string? port, int prefixSegments)
    {
        var webSocket = http.WebSockets.IsWebSocketRequest;
        if (kind == ProxyKind.Dashboard && !webSocket && IsNavigation(http.Request))
        {
            // Names the session for OpenClaw's root socket, which carries nothing else saying which one it wants.
            RootDashboardSocket.Remember(http, id);
        }

        if (webSocket && !services.Origins.IsAllowed(http.Request))
        {
            // Every proxied socket, before anything else (section 12 item 6).
            await ProxyForwarder.RefuseSocketAsync(http, SocketCloseCodes.Forbidden, "Invalid origin");
            return;
        }

        var onApps = services.Apps.IsAppsRequest(http);
        var pass = onApps && services.Apps.Serves(http, id) ? await services.Tickets.ReadAsync(http, id) : null;
        if (onApps && pass is null)
        {
            // No apps cookie for this session (or another session's subdomain): the app's own cookie, which the
            // browser sends here too, is deliberately not enough.
            await (webSocket
                ? ProxyForwarder.RefuseSocketAsync(http, SocketCloseCodes.Forbidden, "Not authorized")
                : ProxyForwarder.WriteErrorAsync(http, StatusCodes.Status401Unauthorized, "Open this from RemoltBlazor again: the apps origin needs its own ticket"));
            return;
        }

        var (target, refusal) = services.Targets.TryResolve(id, pass?.Owner ?? CallerName.Of(http), kind, port);
        if (target is null)
        {
            await (webSocket
                ? ProxyForwarder.RefuseSocketAsync(http, refusal!.CloseCode, refusal.Detail)
                : ProxyForwarder.WriteErrorAsync(http, refusal!.Status, refusal.Detail));
            return;
        }

        if (services.Apps.Enabled && !onApps)
        {
            await MoveToAppsOriginAsync(http, services, id, webSocket);
            return;
        }

        if (pass is not null && !webSocket)
        {
            // The proxies lift the upstream's own framing rules so the app can frame it; on the apps origin that
            // would let any same-site page frame it too. Only the app and the apps origin itself (VS Code's
            // webviews) may. A second CSP header adds to the preview's sandbox policy rather than replacing it.
            var ancestors = $"frame-ancestors 'self' {pass.AppOrigin}";
            http.Response.OnStarting(() =>
            {
                http.Response.Headers.Append("Content-Security-Policy", ancestors);
                return Task.CompletedTask;
            });
        }

        // Browsers do not follow redirects for WebSockets; a socket opened on the bare prefix (OpenClaw's page
        // connects to its base path without the slash) goes to the upstream's root.
        var rest = ProxyPaths.RawRest(http, prefixSegments) ?? (webSocket ? "/" : null);

        if (rest is null)
        {
            // Relative links in the upstream's pages resolve against the prefix only with its trailing slash.
            http.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            http.Response.Headers.Location = target.Prefix + http.Request.QueryString.Value;
            return;
        }

        if (webSocket && kind == ProxyKind.Dashboard)
        {
            await services.DashboardSocket.ForwardAsync(http, target, rest + http.Request.QueryString.Value);
            return;
        }

        // The body streams through to the user's own sandbox, which sets its own limits; Kestrel's default 30 MB cap
        // would break uploads into VS Code or a dev server.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        await services.Forwarder.ForwardAsync(http, target, rest + http.Request.QueryString.Value);
    }

    /// <summary>
    /// The old paths on the app origin (the original frontend's iframes, the UI's tabs and links): after the access
    /// check, a redirect through the ticket exchange to the same path on the apps origin. Sandbox content never
    /// runs here. Sockets cannot follow redirects; the pages that open them are on the apps origin by then.
    /// </summary>
    private static async Task MoveToAppsOriginAsync(HttpContext http, Services services, string id, bool webSocket)
    {
        if (webSocket)
        {
            await ProxyForwarder.RefuseSocketAsync(http, SocketCloseCodes.Forbidden, "Sandbox content is served on the apps origin");
            return;
        }

        if (!services.Apps.IsListening)
        {
            await ProxyForwarder.WriteErrorAsync(http, StatusCodes.Status503ServiceUnavailable,
                "The apps origin is not listening (Kestrel's own endpoint configuration replaced the server addresses): set REMOLT_APPS_HOST, or add an endpoint on REMOLT_APPS_PORT");
            return;
        }

        var path = http.Request.PathBase.Add(http.Request.Path).ToUriComponent() + http.Request.QueryString.Value;
        var url = services.Tickets.EnterUrl(http.Request, services.Apps.OriginFor(http.Request, id), id, CallerName.Of(http), path);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Redirect(url);
    }

    private static bool IsNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && (request.Headers["Sec-Fetch-Dest"].ToString() is "document" or "iframe"
            || request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>What every proxy endpoint needs, bound by the minimal API from the services.</summary>
    private readonly record struct Services(
        ProxyTargets Targets, ProxyForwarder Forwarder, DashboardSocket DashboardSocket, OriginPolicy Origins, AppsOrigin Apps, AppsTickets Tickets,
        RemoltMetrics Metrics);
}
