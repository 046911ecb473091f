using System.Net.WebSockets;

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
