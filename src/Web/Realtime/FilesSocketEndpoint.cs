using System.Net.WebSockets;
using System.Text.Json;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Endpoints;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// <c>/ws/files/{id}</c>: the workspace's change notifications (inotify in the sandbox, see
/// <see cref="WorkspaceFiles.WatchAsync"/>) as text frames <c>{"type":"changes","changes":[{"kind","path",
/// "is_directory","old_path"}]}</c>, one per batch, so the Files tree and an open editor follow what the agent does.
/// Same admission as the logs socket (4003 foreign origin, 4004 no session or someone else's). Closes normally
/// ("Session ended") when the session ends. Client messages are read (to see the close) and ignored; watching is
/// neither activity nor an event.
/// </summary>
internal static class FilesSocketEndpoint
{
    public const string ChangesType = "changes";

    private static readonly JsonSerializerOptions s_json = JsonSerializerOptions.Web.WithSnakeCase();

    public static IEndpointRouteBuilder MapFilesSocket(this IEndpointRouteBuilder routes)
    {
        routes.Map("/ws/files/{id}", HandleAsync);
        return routes;
    }

    public static string Url(string id) => $"/ws/files/{id}";

    private static async Task HandleAsync(
        string id, HttpContext http, OriginPolicy origins, SessionManager sessions, WorkspaceFiles files, ILoggerFactory loggers)
    {
        using var socket = await SocketAdmission.AcceptAsync(http, origins);
        if (socket is null)
        {
            return;
        }

        if (await SocketAdmission.FindSessionAsync(socket, id, http, sessions) is not { } session)
        {
            return;
        }

        var logger = loggers.CreateLogger(typeof(FilesSocketEndpoint));
        await Operations.RestartClose.RunAsync(socket, () => SocketPumps.BridgeAsync(
            socket, token => SendChangesAsync(socket, session, sessions, files, token), token => SocketPumps.DiscardInputAsync(socket, token),
            "Session ended", logger, http.RequestAborted), logger, http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
    }

    /// <summary>Sends every batch until the session ends (its notice, or the watch ending with the sandbox).</summary>
    private static async Task SendChangesAsync(WebSocket socket, Session session, SessionManager sessions, WorkspaceFiles files, CancellationToken cancellationToken)
    {
        using var notices = sessions.Notices.Subscribe(session.Id);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Subscribed first, checked second: an end between the admission and here is not missed.
        if (session.State != SessionState.Running)
        {
            return;
        }

        var watchEnd = WatchForEndAsync(notices, ended);
        try
        {
            await foreach (var batch in files.WatchAsync(session, ended.Token))
            {
                var message = new FilesChangesMessage(ChangesType, [.. batch.Select(c => new FileChangeMessage(c.Kind, c.Path, c.IsDirectory, c.OldPath))]);
                await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, s_json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The session ended: a normal end of the feed, the bridge says goodbye.
        }
        finally
        {
            await ended.CancelAsync();
            await watchEnd;
        }
    }

    private static async Task WatchForEndAsync(SessionNoticeSubscription notices, CancellationTokenSource ended)
    {
        try
        {
            await foreach (var notice in notices.Reader.ReadAllAsync(ended.Token))
            {
                if (notice is SessionEndedNotice)
                {
                    await ended.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The feed ended first.
        }
    }
}

/// <summary>One batch of changes on <c>/ws/files/{id}</c>.</summary>
internal sealed record FilesChangesMessage(string Type, IReadOnlyList<FileChangeMessage> Changes);

/// <summary>A change: <c>created</c>, <c>modified</c>, <c>deleted</c> or <c>moved</c> (with <c>old_path</c>).</summary>
internal sealed record FileChangeMessage(string Kind, string Path, bool IsDirectory, string? OldPath);
