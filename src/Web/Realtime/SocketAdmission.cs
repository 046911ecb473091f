using System.Net.WebSockets;
using RemoltBlazor.Sandboxes.Sessions;

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

    /// <summary>Whether <paramref name="ex"/> says the caller cannot have the session (none such, or someone else's).</summary>
    public static bool IsRefusal(Exception ex) => ex is SessionNotFoundException or SessionForbiddenException;

    /// <summary>Closes with the original's code for such a refusal: 4003 for someone else's session, else 4004.</summary>
    public static Task RefuseAsync(WebSocket socket, Exception refusal) => refusal is SessionForbiddenException
        ? CloseAsync(socket, SocketCloseCodes.Forbidden, "Not authorized")
        : CloseAsync(socket, SocketCloseCodes.NotFound, "Session not found");

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
}
