using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Realtime;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// A browser WebSocket on a proxy path, relayed to the same path on the sandbox port. Checks run first, in the
/// terminal socket's order and with its close codes (Origin 4003, no session 4004, not yours 4003, bad request
/// 4000); like the terminal it accepts, then closes, so browsers see the code and reason instead of 1006. An upstream
/// that does not listen yet closes with 1013 (try again later), any other upstream failure with 4005.
/// </summary>
internal sealed partial class ProxySocketForwarder(
    SandboxUpstream upstream, SessionManager sessions, OriginPolicy origins, IOptions<ProxyOptions> options, ILogger<ProxySocketForwarder> logger)
{
    public const int UpstreamUnavailable = 4005;

    /// <summary>RFC 6455 section 7.4.1 registry: 1013 Try Again Later (the port is not listening yet).</summary>
    public const int TryAgainLater = 1013;

    private readonly TimeSpan _connectTimeout = TimeSpan.FromSeconds(options.Value.HeadersTimeoutSeconds);

    /// <summary>The Origin check every proxied socket gets before anything else (section 12 item 6).</summary>
    public bool IsOriginAllowed(HttpContext http) => origins.IsAllowed(http.Request);

    /// <param name="upstreamPathAndQuery">Raw path below the prefix (starting with '/') and the raw query.</param>
    public async Task ForwardAsync(HttpContext http, ProxyTarget target, string upstreamPathAndQuery)
    {
        var aborted = http.RequestAborted;
        using var upstreamSocket = new ClientWebSocket();
        ConfigureHandshake(upstreamSocket.Options, http, target);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted))
        {
            timeout.CancelAfter(_connectTimeout);
            try
            {
                await upstreamSocket.ConnectAsync(upstream.Address(target.SandboxId, target.Port, upstreamPathAndQuery, webSocket: true), upstream.Invoker, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException && !aborted.IsCancellationRequested)
            {
                if (UpstreamFailure.IsPortClosed(ex))
                {
                    await RefuseAsync(http, TryAgainLater, StartingPage.TitleFor(target));
                }
                else
                {
                    LogUpstreamFailed(logger, target.Session.Id, target.Port, ex);
                    await RefuseAsync(http, UpstreamUnavailable, ex is OperationCanceledException ? "The upstream did not answer in time" : UpstreamFailure.Describe(ex));
                }

                return;
            }
            catch (OperationCanceledException)
            {
                return; // The browser went away.
            }
        }

        sessions.Touch(target.Session);
        using var browserSocket = await http.WebSockets.AcceptWebSocketAsync(upstreamSocket.SubProtocol);
        Func<string, string>? inject = target.Kind == ProxyKind.Dashboard && target.AuthToken is { } token
            ? frame => ConnectFrameToken.Inject(frame, token)
            : null;
        var relay = new WebSocketRelay(browserSocket, upstreamSocket, inject, () => sessions.Touch(target.Session));
        await relay.RunAsync(aborted);
    }

    /// <summary>Accepts (with the first subprotocol asked for, or browsers fail the handshake) and closes with a reason.</summary>
    public static async Task RefuseAsync(HttpContext http, int closeCode, string reason)
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

    private static void ConfigureHandshake(ClientWebSocketOptions options, HttpContext http, ProxyTarget target)
    {
        foreach (var protocol in http.WebSockets.WebSocketRequestedProtocols)
        {
            options.AddSubProtocol(protocol);
        }

        // Origin goes to the dashboard only, as in the original (after the app's own Origin check); code-server and
        // dev servers compare it with their Host and would refuse the app's origin.
        var forwardOrigin = target.Kind == ProxyKind.Dashboard;
        foreach (var (name, values) in RequestHeaderPolicy.Forwarded(http.Request.Headers, webSocket: true, forwardOrigin))
        {
            options.SetRequestHeader(name, string.Join(", ", values.ToArray()));
        }

        foreach (var (name, values) in RequestHeaderPolicy.ForwardedFor(http, target))
        {
            options.SetRequestHeader(name, values.ToString());
        }

        options.SetRequestHeader("Host", SandboxUpstream.HostHeader(target.Port));
        options.KeepAliveInterval = TimeSpan.FromSeconds(30);
    }

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Proxy WebSocket for session {SessionId} to port {Port} failed")]
    private static partial void LogUpstreamFailed(ILogger logger, string sessionId, int port, Exception exception);
}
