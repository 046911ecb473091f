using System.Net;
using System.Net.WebSockets;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Endpoints;
using Yarp.ReverseProxy.Forwarder;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Forwards one request, HTTP or WebSocket, to a sandbox port with YARP's <see cref="IHttpForwarder"/> over
/// <see cref="SandboxUpstream"/>, with <see cref="ProxyTransformer"/>'s policies, and answers YARP's errors as the
/// proxies always have: a port nobody listens on yet is the "Starting..." page for navigations (1013 for sockets),
/// anything else a 502 (504 when the upstream stays silent) or socket close 4005, never a 500.
/// </summary>
internal sealed partial class ProxyForwarder(
    IHttpForwarder forwarder, SandboxUpstream upstream, SessionManager sessions, CodeServerProbe codeServer,
    ILogger<ProxyForwarder> logger)
{
    public const int UpstreamUnavailable = 4005;

    /// <summary>RFC 6455 section 7.4.1 registry: 1013 Try Again Later (the port is not listening yet).</summary>
    public const int TryAgainLater = 1013;

    // No activity timeout: the upstream's headers are bounded by SandboxUpstream's HeadersTimeoutHandler, and after
    // them a body may pause (server-sent events, long polls) and a socket stay quiet for as long as the browser waits.
    // HTTP/1.1 exactly: sandbox services speak it, and an upgrade needs it.
    private static readonly ForwarderRequestConfig s_config = new()
    {
        ActivityTimeout = Timeout.InfiniteTimeSpan,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <param name="upstreamPathAndQuery">The raw path below the prefix (starting with '/') and the raw query.</param>
    public async Task ForwardAsync(HttpContext http, ProxyTarget target, string upstreamPathAndQuery)
    {
        sessions.Touch(target.Session); // Proxy users are active users (section 12 item 8).
        var webSocket = http.WebSockets.IsWebSocketRequest;
        var address = upstream.Address(target.SandboxId, target.Port, upstreamPathAndQuery);
        var transformer = new ProxyTransformer(target, address, () => sessions.Touch(target.Session));
        var error = await forwarder.SendAsync(http, address.GetLeftPart(UriPartial.Authority), upstream.Invoker, s_config, transformer);
        if (http.Response.HasStarted || http.RequestAborted.IsCancellationRequested)
        {
            return; // Answered (YARP aborts a response that broke off midway), or the browser went away.
        }

        if (error == ForwarderError.None)
        {
            if (webSocket)
            {
                await RefuseSocketAsync(http, UpstreamUnavailable, UpstreamFailure.RefusedWebSocket);
            }

            return;
        }

        var exception = http.Features.Get<IForwarderErrorFeature>()?.Exception;
        var timedOut = UpstreamFailure.IsTimeout(exception);
        var portClosed = UpstreamFailure.IsPortClosed(exception);
        if (!portClosed)
        {
            LogUpstreamFailed(logger, target.Session.Id, target.Port, error, exception);
        }

        await (webSocket ? RefuseUnreachableAsync(http, target, exception)
            : portClosed ? AnswerNotListeningAsync(http, target)
            : WriteErrorAsync(http, timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway, UpstreamFailure.Describe(exception)));
    }

    private async Task AnswerNotListeningAsync(HttpContext http, ProxyTarget target)
    {
        var missing = target.Kind == ProxyKind.VsCode && !await codeServer.IsInstalledAsync(target.SandboxId, http.RequestAborted);
        var method = http.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            await (missing
                ? WriteErrorAsync(http, StatusCodes.Status501NotImplemented, StartingPage.NotInstalledDetail)
                : WriteErrorAsync(http, StatusCodes.Status502BadGateway, StartingPage.TitleFor(target).TrimEnd('.') + ": the upstream is not listening yet"));
            return;
        }

        // A navigation (an iframe) gets a page: one that reloads until the upstream answers, or, for a sandbox
        // without code-server, one that explains and does not reload for ever.
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsGet(method))
        {
            await http.Response.WriteAsync(missing ? StartingPage.NotInstalledHtml() : StartingPage.Html(target), http.RequestAborted);
        }
    }

    /// <summary>An HTTP refusal or failure in the API's error shape.</summary>
    public static async Task WriteErrorAsync(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new ErrorResponse(detail), http.RequestAborted);
    }

    /// <summary>Closes a socket whose upstream was not reached: 1013 while its port does not listen yet, else 4005 and why.</summary>
    public static Task RefuseUnreachableAsync(HttpContext http, ProxyTarget target, Exception? exception) =>
        UpstreamFailure.IsPortClosed(exception)
            ? RefuseSocketAsync(http, TryAgainLater, StartingPage.TitleFor(target))
            : RefuseSocketAsync(http, UpstreamUnavailable, UpstreamFailure.Describe(exception));

    /// <summary>Accepts (with the first subprotocol asked for, or browsers fail the handshake) and closes with a reason.</summary>
    public static async Task RefuseSocketAsync(HttpContext http, int closeCode, string reason)
    {
        var requested = http.WebSockets.WebSocketRequestedProtocols;
        using var socket = await http.WebSockets.AcceptWebSocketAsync(requested.Count > 0 ? requested[0] : null);
        try
        {
            await socket.CloseAsync((WebSocketCloseStatus)closeCode, reason, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException)
        {
            // The client went away before hearing why.
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Proxy request for session {SessionId} to port {Port} failed: {Error}")]
    private static partial void LogUpstreamFailed(ILogger logger, string sessionId, int port, ForwarderError error, Exception? exception);
}
