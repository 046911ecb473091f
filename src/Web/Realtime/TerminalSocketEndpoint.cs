using System.Net.WebSockets;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Auth;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// <c>/ws/terminal/{id}[?window=N]</c>, the original's raw protocol (behaviour page, section 6). Unlike the original
/// it accepts before refusing, so clients see the close codes: 4003 origin/ownership, 4004 no session, 4005 attach
/// failed, 4000 bad window.
/// </summary>
internal static class TerminalSocketEndpoint
{
    public const int MaxWindows = 5;

    public static IEndpointRouteBuilder MapTerminalSocket(this IEndpointRouteBuilder routes)
    {
        routes.Map("/ws/terminal/{id}", HandleAsync);
        return routes;
    }

    private static async Task HandleAsync(
        string id, HttpContext http, OriginPolicy origins, ITerminalAttacher attacher, ILoggerFactory loggers)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new Endpoints.ErrorResponse("WebSocket upgrade required"));
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var aborted = http.RequestAborted;
        if (!origins.IsAllowed(http.Request))
        {
            await CloseAsync(socket, SocketCloseCodes.Forbidden, "Invalid origin");
            return;
        }

        if (!TryParseWindow(http.Request.Query["window"], out var window))
        {
            await CloseAsync(socket, SocketCloseCodes.BadRequest, $"Invalid window (0-{MaxWindows - 1})");
            return;
        }

        TerminalStream terminal;
        try
        {
            terminal = await attacher.AttachAsync(id, Callers.NameOf(http), new TerminalAttachOptions(window), aborted);
        }
        catch (SessionNotFoundException)
        {
            await CloseAsync(socket, SocketCloseCodes.NotFound, "Session not found");
            return;
        }
        catch (SessionForbiddenException)
        {
            await CloseAsync(socket, SocketCloseCodes.Forbidden, "Not authorized");
            return;
        }
        catch (TerminalAttachException)
        {
            await CloseAsync(socket, SocketCloseCodes.AttachFailed, "Failed to attach to sandbox");
            return;
        }

        await using (terminal)
        {
            var bridge = new TerminalSocketBridge(socket, terminal, loggers.CreateLogger<TerminalSocketBridge>());
            await bridge.RunAsync(aborted);
        }
    }

    private static bool TryParseWindow(string? value, out int window)
    {
        window = 0;
        return string.IsNullOrEmpty(value)
            || (int.TryParse(value, System.Globalization.NumberStyles.None, null, out window) && window < MaxWindows);
    }

    private static async Task CloseAsync(WebSocket socket, int code, string reason)
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
