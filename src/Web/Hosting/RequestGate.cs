using RemoltBlazor.Web.Endpoints;
using RemoltBlazor.Web.Proxy;
using RemoltBlazor.Web.Realtime;

namespace RemoltBlazor.Web.Hosting;

/// <summary>
/// The first middleware: refuses a request under a Host the app does not answer to (DNS rebinding) on every route,
/// socket and the Blazor hub, and a state-changing API request a page of another site sent. Browsers put Origin on
/// every non-GET request (no-cors included) and Sec-Fetch-Site on everything; a client without them is no browser,
/// so it cannot be carrying a victim's cookie by accident.
/// </summary>
internal sealed class RequestGate(RequestDelegate next, HostAllowList hosts, OriginPolicy origins, AppsOrigin apps)
{
    // What a page may send cross-site without a CORS preflight (the Fetch standard's CORS-safelisted types).
    private static readonly string[] s_simpleContentTypes = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!hosts.IsAllowed(request.Host) && !apps.IsAppsHost(request.Host))
        {
            // 421: this server is not the one the name points at. A WebSocket gets it as its failed handshake.
            http.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(
                $"This server does not answer to the host '{request.Host.Value}'. "
                + "If it is yours, add it to REMOLT_ALLOWED_HOSTS (by default only localhost, 127.0.0.1 and [::1]).");
            return;
        }

        if (apps.IsAppsRequest(http))
        {
            if (!IsAppsPath(http))
            {
                // The apps origin serves sandbox content only: the API, the sockets and the UI are not here, so a
                // sandbox page's same-origin fetch (which carries the app's cookie on another port) finds nothing.
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("Not found: this is the origin of sandbox content, not the app.");
                return;
            }
        }
        else if (request.Path.StartsWithSegments("/api") && !IsSafe(request.Method))
        {
            if (!IsSameSite(request))
            {
                await RefuseAsync(http, StatusCodes.Status403Forbidden, "Invalid origin");
                return;
            }

            if (HttpMethods.IsPost(request.Method) && IsSimpleEmptyPost(request))
            {
                // fetch(url, {method: 'POST', mode: 'no-cors'}) sends exactly this; model binding would take it
                // as "no body" and go on with the defaults.
                await RefuseAsync(http, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type");
                return;
            }
        }
        else if (request.Path.StartsWithSegments("/_blazor") && !origins.IsAllowed(request))
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, "Invalid origin");
            return;
        }

        await next(http);
    }

    private static bool IsAppsPath(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/vscode")
        || http.Request.Path.StartsWithSegments("/proxy")
        || http.Request.Path.StartsWithSegments(AppsTickets.EnterPath)
        || (http.Request.Path == "/" && IsWebSocket(http));

    // UseWebSockets has not run yet here, so IsWebSocketRequest would always be false: look at the request itself.
    private static bool IsWebSocket(HttpContext http) =>
        string.Equals(http.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase)
        || http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    private bool IsSameSite(HttpRequest request)
    {
        if (request.Headers.Origin.Count > 0)
        {
            return origins.IsAllowed(request);
        }

        // A same-site page (another port on the same host) is still another origin.
        return request.Headers["Sec-Fetch-Site"].ToString() is not ("cross-site" or "same-site");
    }

    private static bool IsSimpleEmptyPost(HttpRequest request)
    {
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim() ?? "";
        if (mediaType.Length == 0)
        {
            return true;
        }

        var empty = request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any(v => v?.Length > 0));
        return empty && s_simpleContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase);
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static Task RefuseAsync(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new ErrorResponse(detail));
    }
}
