using System.Net.WebSockets;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Hosting;
using RemoltBlazor.Web.Operations;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// <c>/ws/terminal/{id}[?window=N]</c>, the original's raw protocol (behaviour page, section 6). Unlike the original
/// it accepts before refusing, so clients see the close codes: 4003 origin, 4004 no session (or someone else's), 4005 attach
/// failed, 4000 bad window; and 1012 when the server stops (reconnect: the session lives on).
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
        string id, HttpContext http, OriginPolicy origins, ITerminalAttacher attacher, RemoltMetrics metrics, IHostApplicationLifetime lifetime,
        ILoggerFactory loggers)
    {
        using var socket = await SocketAdmission.AcceptAsync(http, origins);
        if (socket is null)
        {
            return;
        }

        var aborted = http.RequestAborted;

        if (!TryParseWindow(http.Request.Query["window"], out var window))
        {
            await SocketAdmission.CloseAsync(socket, SocketCloseCodes.BadRequest, $"Invalid window (0-{MaxWindows - 1})");
            return;
        }

        TerminalStream terminal;
        try
        {
            terminal = await attacher.AttachAsync(id, CallerName.Of(http), new TerminalAttachOptions(window), aborted);
        }
        catch (Exception ex) when (SocketAdmission.IsRefusal(ex))
        {
            await SocketAdmission.RefuseAsync(socket);
            return;
        }
        catch (TerminalAttachException)
        {
            await SocketAdmission.CloseAsync(socket, SocketCloseCodes.AttachFailed, "Failed to attach to sandbox");
            return;
        }

        metrics.TerminalAttached(RemoltMetrics.Transports.WebSocket);
        await using (terminal)
        {
            var logger = loggers.CreateLogger<TerminalSocketBridge>();
            var bridge = new TerminalSocketBridge(socket, terminal, logger);
            await RestartClose.RunAsync(socket, () => bridge.RunAsync(aborted), logger, lifetime.ApplicationStopping);
        }
    }

    private static bool TryParseWindow(string? value, out int window)
    {
        window = 0;
        return string.IsNullOrEmpty(value)
            || (int.TryParse(value, System.Globalization.NumberStyles.None, null, out window) && window < MaxWindows);
    }
}
