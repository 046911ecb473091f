using System.Buffers;
using System.Net.WebSockets;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Logs;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// <c>/ws/logs/{id}</c>: the agent's declared log source (behaviour page, section 7) as binary frames, read-only.
/// Same checks and close codes as the terminal socket (4003 origin, 4004 no session or someone else's), plus 4004 "No logs for
/// this agent" and 4005 when the sandbox does not start the tail. Client messages (resizes, keystrokes: a log has no TTY) are
/// read to see the close and ignored. Like the original it neither counts as activity nor emits events.
/// </summary>
internal static partial class LogsSocketEndpoint
{
    private const int BufferSize = 32 * 1024;

    public static IEndpointRouteBuilder MapLogsSocket(this IEndpointRouteBuilder routes)
    {
        routes.Map("/ws/logs/{id}", HandleAsync);
        return routes;
    }

    private static async Task HandleAsync(
        string id, HttpContext http, OriginPolicy origins, SessionManager sessions, AgentCatalog agents, AgentLogs logs, ILoggerFactory loggers)
    {
        using var socket = await SocketAdmission.AcceptAsync(http, origins);
        if (socket is null)
        {
            return;
        }

        var aborted = http.RequestAborted;

        if (await SocketAdmission.FindSessionAsync(socket, id, http, sessions) is not { } session)
        {
            return;
        }

        if (agents.Find(session.AgentId) is not { } agent || string.IsNullOrWhiteSpace(agent.Logs))
        {
            await SocketAdmission.CloseAsync(socket, SocketCloseCodes.NotFound, "No logs for this agent");
            return;
        }

        SandboxProcess process;
        try
        {
            process = await logs.StartAsync(session, agent, aborted);
        }
        catch (SandboxRuntimeException ex)
        {
            LogStartFailed(loggers.CreateLogger(typeof(LogsSocketEndpoint)), session.Id, ex.Message);
            await SocketAdmission.CloseAsync(socket, SocketCloseCodes.AttachFailed, "Failed to attach to sandbox");
            return;
        }

        await using (process)
        {
            var logger = loggers.CreateLogger(typeof(LogsSocketEndpoint));
            await Operations.RestartClose.RunAsync(socket, () => SocketPumps.BridgeAsync(
                socket, token => SendOutputAsync(socket, process.Output, token), token => SocketPumps.DiscardInputAsync(socket, token),
                "Logs ended", logger, aborted), logger, http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        }
    }

    private static async Task SendOutputAsync(WebSocket socket, Stream output, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var translated = ArrayPool<byte>.Shared.Rent(BufferSize * 2);
        try
        {
            while (true)
            {
                var read = await output.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken);
                if (read == 0)
                {
                    return;
                }

                var length = LineEndings.ToCrLf(buffer.AsSpan(0, read), translated);
                await socket.SendAsync(translated.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(translated);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting the logs of session {SessionId} failed: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string sessionId, string reason);
}
