using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>
/// A call into a session's sandbox (workspace transfer, the file API) with the runtime's failures as a session
/// operation reports them: the runtime down is <see cref="SessionRuntimeUnavailableException"/> (503); a sandbox
/// stopped or removed behind our back, while the session is still listed, is <see cref="SessionNotRunningException"/>.
/// </summary>
internal static partial class SessionSandboxCalls
{
    public static async Task<T> RunAsync<T>(Session session, ILogger logger, Func<string, Task<T>> call)
    {
        var sandboxId = session.SandboxId ?? throw new SessionNotRunningException();
        try
        {
            return await call(sandboxId);
        }
        catch (SandboxRuntimeUnavailableException ex)
        {
            throw new SessionRuntimeUnavailableException("The sandbox runtime is not available; try again shortly.", ex);
        }
        catch (SandboxRuntimeException ex)
        {
            LogNotRunning(logger, session.Id, ex.Message);
            throw new SessionNotRunningException(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} is listed but its sandbox does not run: {Reason}")]
    private static partial void LogNotRunning(ILogger logger, string sessionId, string reason);
}
