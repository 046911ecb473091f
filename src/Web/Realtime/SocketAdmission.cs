using System.Net.WebSockets;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// The start every app socket (terminal, logs) shares: a plain HTTP request gets 400 JSON, a WebSocket is accepted
/// and then refused with a close code when its Origin is foreign, so browsers see the reason instead of a failed
/// handshake.
/// </summary>
internal static class SocketAdmission
{
    /// <summary>The accepted socket, or null when the request was answered or refused here.</summary>
    public static async Task<WebSocket?> AcceptAsync(HttpContext http, OriginPolicy origins)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new Endpoints.ErrorResponse("WebSocket upgrade required"));
            return null;
        }

        var socket = await http.WebSockets.AcceptWebSocketAsync();
        if (!origins.IsAllowed(http.Request))
        {
            await CloseAsync(socket, SocketCloseCodes.Forbidden, "Invalid origin");
            socket.Dispose();
            return null;
        }

        return socket;
    }

    /// <summary>
    /// The caller's running session <paramref name="id"/> (logs, file changes), or null once the socket is refused with
    /// 4004 (a malformed or unknown id, or someone else's session: the same answer).
    /// </summary>
    public static async Task<Session?> FindSessionAsync(WebSocket socket, string id, HttpContext http, SessionManager sessions)
    {
        try
        {
            return SessionIds.IsWellFormed(id) ? sessions.Get(id, CallerName.Of(http)) : throw new SessionNotFoundException();
        }
        catch (Exception ex) when (IsRefusal(ex))
        {
            await RefuseAsync(socket);
            return null;
        }
    }

    /// <summary>Whether <paramref name="ex"/> says the caller cannot have the session (none such, or someone else's).</summary>
    public static bool IsRefusal(Exception ex) => ex is SessionNotFoundException;

    /// <summary>
    /// Closes 4004 "Session not found" for such a refusal, someone else's session included: unlike the original's
    /// 4003 for a foreign owner, the answer must not tell a real id from a made-up one.
    /// </summary>
    public static Task RefuseAsync(WebSocket socket) => CloseAsync(socket, SocketCloseCodes.NotFound, "Session not found");

    public static async Task CloseAsync(WebSocket socket, int code, string reason)
    {
        try
        {
            await socket.CloseAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The client went away before hearing why; nothing else to do.
        }
    }
}

internal static class SocketCloseCodes
{
    public const int BadRequest = 4000;
    public const int Forbidden = 4003;
    public const int NotFound = 4004;
    public const int AttachFailed = 4005;

    /// <summary>RFC 6455 section 7.4.1's "Try Again Later": the sandbox engine is away; the session is not gone.</summary>
    public const int TryAgainLater = 1013;
}
