using System.Net.WebSockets;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// The dashboard's WebSocket (on its proxy path or the root socket), relayed frame by frame by
/// <see cref="WebSocketRelay"/> rather than by YARP: its first <c>connect</c> frame gets the agent's token
/// (<see cref="ConnectFrameToken"/>), and YARP relays an upgraded connection as bytes, with no frame to rewrite.
/// Access checks ran before (<see cref="ProxyEndpoints"/>). An upstream that does not listen yet closes with 1013 (try
/// again later), any other upstream failure with 4005, like the sockets YARP forwards.
/// </summary>
internal sealed partial class DashboardSocket(
    SandboxUpstream upstream, SessionManager sessions, ILogger<DashboardSocket> logger)
{
    /// <param name="upstreamPathAndQuery">Raw path below the prefix (starting with '/') and the raw query.</param>
    public async Task ForwardAsync(HttpContext http, ProxyTarget target, string upstreamPathAndQuery)
    {
        var aborted = http.RequestAborted;
        using var upstreamSocket = new ClientWebSocket();
        ConfigureHandshake(upstreamSocket.Options, http, target);
        try
        {
            // The handshake is bounded by SandboxUpstream's headers timeout, like every proxied request.
            await upstreamSocket.ConnectAsync(upstream.Address(target.SandboxId, target.Port, upstreamPathAndQuery, webSocket: true), upstream.Invoker, aborted);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException && !aborted.IsCancellationRequested)
        {
            if (!UpstreamFailure.IsPortClosed(ex))
            {
                LogUpstreamFailed(logger, target.Session.Id, target.Port, ex);
            }

            await ProxyForwarder.RefuseUnreachableAsync(http, target, ex);
            return;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return; // The browser went away.
        }

        sessions.Touch(target.Session);
        using var browserSocket = await http.WebSockets.AcceptWebSocketAsync(upstreamSocket.SubProtocol);
        Func<string, string>? inject = target.AuthToken is { } token ? frame => ConnectFrameToken.Inject(frame, token) : null;
        var relay = new WebSocketRelay(browserSocket, upstreamSocket, inject, () => sessions.Touch(target.Session), logger);
        await relay.RunAsync(aborted);
    }

    private static void ConfigureHandshake(ClientWebSocketOptions options, HttpContext http, ProxyTarget target)
    {
        foreach (var protocol in http.WebSockets.WebSocketRequestedProtocols)
        {
            options.AddSubProtocol(protocol);
        }

        // Origin goes to the dashboard, as in the original (after the app's own Origin check). No X-Forwarded-*: see
        // RequestHeaderPolicy.ForwardedFor.
        foreach (var (name, values) in RequestHeaderPolicy.Forwarded(http.Request.Headers, webSocket: true, forwardOrigin: true))
        {
            options.SetRequestHeader(name, string.Join(", ", values.ToArray()));
        }

        options.SetRequestHeader("Host", SandboxUpstream.HostHeader(target.Port));
        options.KeepAliveInterval = TimeSpan.FromSeconds(30);
    }

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Proxy WebSocket for session {SessionId} to port {Port} failed")]
    private static partial void LogUpstreamFailed(ILogger logger, string sessionId, int port, Exception exception);
}
