using Microsoft.AspNetCore.Http.Features;
using RemoltBlazor.Web.Hosting;

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
        app.Map("/proxy/{id}/port/{port}/{**path}", PreviewAsync);
        app.Map("/proxy/{id}/{**path}", DashboardAsync);
        app.Map("/vscode/{id}/{**path}", VsCodeAsync);
        return app;
    }

    private static Task DashboardAsync(string id, HttpContext http, ProxyTargets targets, HttpForwarder forwarder, ProxySocketForwarder sockets)
    {
        if (!http.WebSockets.IsWebSocketRequest && IsNavigation(http.Request))
        {
            // Names the session for OpenClaw's root socket, which carries nothing else saying which one it wants.
            RootDashboardSocket.Remember(http, id);
        }

        return ForwardAsync(http, targets, forwarder, sockets, id, ProxyKind.Dashboard, null, prefixSegments: 2);
    }

    private static Task VsCodeAsync(string id, HttpContext http, ProxyTargets targets, HttpForwarder forwarder, ProxySocketForwarder sockets) =>
        ForwardAsync(http, targets, forwarder, sockets, id, ProxyKind.VsCode, null, prefixSegments: 2);

    private static Task PreviewAsync(string id, string port, HttpContext http, ProxyTargets targets, HttpForwarder forwarder, ProxySocketForwarder sockets) =>
        ForwardAsync(http, targets, forwarder, sockets, id, ProxyKind.Preview, port, prefixSegments: 4);

    private static async Task ForwardAsync(
        HttpContext http, ProxyTargets targets, HttpForwarder forwarder, ProxySocketForwarder sockets,
        string id, ProxyKind kind, string? port, int prefixSegments)
    {
        var webSocket = http.WebSockets.IsWebSocketRequest;
        if (webSocket && !sockets.IsOriginAllowed(http))
        {
            await ProxySocketForwarder.RefuseAsync(http, Realtime.SocketCloseCodes.Forbidden, "Invalid origin");
            return;
        }

        var (target, refusal) = targets.TryResolve(id, CallerName.Of(http), kind, port);
        if (target is null)
        {
            if (webSocket)
            {
                await ProxySocketForwarder.RefuseAsync(http, refusal!.CloseCode, refusal.Detail);
            }
            else
            {
                await HttpForwarder.WriteErrorAsync(http, refusal!.Status, refusal.Detail);
            }

            return;
        }

        var rest = ProxyPaths.RawRest(http, prefixSegments);
        if (rest is null && webSocket)
        {
            // Browsers do not follow redirects for WebSockets; a socket opened on the bare prefix (OpenClaw's page
            // connects to its base path without the slash) goes to the upstream's root.
            rest = "/";
        }

        if (rest is null)
        {
            // Relative links in the upstream's pages resolve against the prefix only with its trailing slash.
            http.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            http.Response.Headers.Location = target.Prefix + http.Request.QueryString.Value;
            return;
        }

        if (webSocket)
        {
            await sockets.ForwardAsync(http, target, rest + http.Request.QueryString.Value);
        }
        else
        {
            // The body streams through to the user's own sandbox, which sets its own limits; Kestrel's default 30 MB
            // cap would break uploads into VS Code or a dev server.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = null;
            }

            await forwarder.ForwardAsync(http, target, rest);
        }
    }

    private static bool IsNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && (request.Headers["Sec-Fetch-Dest"].ToString() is "document" or "iframe"
            || request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase));
}
