using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Terminals;

/// <summary>
/// Attaches to a session's tmux with the original's retry budget (a fresh sandbox may still be booting), and wraps
/// the stream so that every chunk counts as activity, connect/disconnect are recorded as events, and the client is
/// counted in <see cref="TerminalClients"/> while attached.
/// </summary>
internal sealed partial class TerminalAttacher(
    SessionManager sessions,
    ISandboxRuntime runtime,
    EventLog events,
    TerminalClients clients,
    IOptions<SessionOptions> options,
    TimeProvider timeProvider,
    RemoltMetrics metrics,
    ILogger<TerminalAttacher> logger) : ITerminalAttacher
{
    public Task<TerminalStream> AttachAsync(string sessionId, string caller, TerminalAttachOptions attach, CancellationToken cancellationToken)
    {
        if (!SessionIds.IsWellFormed(sessionId))
        {
            throw new SessionNotFoundException();
        }

        return AttachWithRetriesAsync(sessions.Get(sessionId, caller), attach with { ReadOnly = false }, watcher: null, cancellationToken);
    }

    public Task<TerminalStream> WatchAsync(string sessionId, string admin, TerminalAttachOptions attach, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(admin);
        if (!SessionIds.IsWellFormed(sessionId))
        {
            throw new SessionNotFoundException();
        }

        return AttachWithRetriesAsync(sessions.GetAny(sessionId), attach with { ReadOnly = true }, admin, cancellationToken);
    }

    private async Task<TerminalStream> AttachWithRetriesAsync(Session session, TerminalAttachOptions attach, string? watcher, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // The attach captures the history in the same tmux command list, so it ends exactly where the screen
                // this client is drawn begins; it is read back (while the live output waits) and sent first.
                var withHistory = attach with { HistoryBuffer = TerminalHistory.NewBufferName() };
                var stream = await runtime.AttachTerminalAsync(session.SandboxId!, withHistory, cancellationToken);
                byte[] history;
                try
                {
                    history = await TerminalHistory.ReadAsync(runtime, session.SandboxId!, withHistory.HistoryBuffer, attach.Size.Rows, cancellationToken);
                }
                catch
                {
                    await stream.DisposeAsync();
                    throw;
                }

                if (watcher is null)
                {
                    // An admin watching is not the owner working: only the owner's attach keeps the session alive.
                    sessions.Touch(session);
                    await events.EmitAsync("terminal.connected", EventFields.Of(("session_id", session.Id), ("window", attach.Window)));
                }
                else
                {
                    await events.EmitAsync("terminal.connected", EventFields.Of(
                        ("session_id", session.Id), ("window", attach.Window), ("read_only", true), ("by", watcher)));
                }

                return new TrackedTerminalStream(stream, session, sessions, events, metrics, attach.Window, history, clients.Attach(session.Id), attach.ReadOnly);
            }
            catch (SandboxRuntimeException ex) when (attempt < settings.AttachAttempts && ex is not SandboxNotFoundException)
            {
                LogAttachRetry(logger, session.Id, attempt, ex.Message);
                await Task.Delay(settings.AttachRetryDelay, timeProvider, cancellationToken);
            }
            catch (SandboxRuntimeException ex)
            {
                throw new TerminalAttachException("Failed to attach to sandbox", ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Attach to {SessionId} failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogAttachRetry(ILogger logger, string sessionId, int attempt, string reason);
}
