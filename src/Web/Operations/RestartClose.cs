using System.Net.WebSockets;

namespace RemoltBlazor.Web.Operations;

/// <summary>
/// Graceful shutdown for the long-lived sockets (terminal, logs, file changes): when the host starts stopping (SIGTERM, an upgrade), the socket gets a
/// close frame with 1012 "Service Restart" (RFC 6455 registry, section 11.7), so clients know to reconnect rather
/// than report an error, and the socket's own pumps then end on the client's close reply as after any close. Only the
/// socket ends: the sandbox and its tmux keep running, and the next server re-adopts the session.
/// </summary>
internal static partial class RestartClose
{
    /// <summary>1012 Service Restart.</summary>
    public const int ServiceRestart = 1012;

    public const string Reason = "Server restarting";

    private static readonly TimeSpan s_sendTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="session"/> (the socket's pumps); if <paramref name="stopping"/> fires first, sends the 1012 close.</summary>
    public static async Task RunAsync(WebSocket socket, Func<Task> session, ILogger logger, CancellationToken stopping)
    {
        using var ended = new CancellationTokenSource();
        var watcher = CloseWhenStoppingAsync(socket, logger, stopping, ended.Token);
        try
        {
            await session();
        }
        finally
        {
            await ended.CancelAsync();
            await watcher;
        }
    }

    private static async Task CloseWhenStoppingAsync(WebSocket socket, ILogger logger, CancellationToken stopping, CancellationToken ended)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, ended);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, either.Token);
        }
        catch (OperationCanceledException)
        {
            // Either the host is stopping or the socket ended by itself; which one is checked below.
        }

        if (ended.IsCancellationRequested || socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            // Sends are serialised inside the WebSocket, so this close may overlap the output pump's send.
            using var timeout = new CancellationTokenSource(s_sendTimeout);
            await socket.CloseOutputAsync((WebSocketCloseStatus)ServiceRestart, Reason, timeout.Token);
            LogClosedForRestart(logger);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogCloseFailed(logger, ex.Message); // The client is already gone.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed a socket with 1012: the server is stopping")]
    private static partial void LogClosedForRestart(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The restart close of a socket failed: {Reason}")]
    private static partial void LogCloseFailed(ILogger logger, string reason);
}
