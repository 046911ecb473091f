using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Terminals;

/// <summary>
/// Attaches to a session's tmux with the original's retry budget (a fresh sandbox may still be booting), and wraps
/// the stream so that every chunk counts as activity and connect/disconnect are recorded as events.
/// </summary>
internal sealed partial class TerminalAttacher(
    SessionManager sessions,
    ISandboxRuntime runtime,
    EventLog events,
    IOptions<SessionOptions> options,
    TimeProvider timeProvider,
    ILogger<TerminalAttacher> logger) : ITerminalAttacher
{
    public async Task<TerminalStream> AttachAsync(string sessionId, string caller, TerminalAttachOptions attach, CancellationToken cancellationToken)
    {
        if (!SessionIds.IsWellFormed(sessionId))
        {
            throw new SessionNotFoundException();
        }

        var session = sessions.Get(sessionId, caller);
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

                sessions.Touch(session);
                await events.EmitAsync("terminal.connected", EventFields.Of(("session_id", session.Id), ("window", attach.Window)));
                return new TrackedTerminalStream(stream, session, sessions, events, attach.Window, history);
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
