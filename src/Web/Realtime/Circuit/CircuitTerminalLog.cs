using Microsoft.Extensions.Logging;

namespace RemoltBlazor.Web.Realtime.Circuit;

/// <summary>The structured log events of circuit terminals (source-generated, no allocation when disabled).</summary>
internal sealed partial class CircuitTerminalLog(ILogger logger)
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Terminal attached to session {SessionId} window {Window} at {Columns}x{Rows}")]
    public partial void Attached(string sessionId, int window, int columns, int rows);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Terminal detached from session {SessionId} window {Window}: {Why}")]
    public partial void Detached(string sessionId, int window, string why);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Terminal attach to session {SessionId} window {Window} refused: {Reason}")]
    public partial void AttachRejected(string sessionId, int window, TerminalEndReason reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Terminal attach to session {SessionId} window {Window} failed")]
    public partial void AttachFailed(string sessionId, int window, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Terminal of session {SessionId} window {Window} failed")]
    public partial void TerminalFailed(string sessionId, int window, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Terminal resize of session {SessionId} window {Window} failed")]
    public partial void ResizeFailed(string sessionId, int window, Exception exception);

    /// <summary>One line per retry while the engine restarts: its stack trace would say nothing more.</summary>
    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Terminal attach to session {SessionId} window {Window} waits for the sandbox engine: {Reason}")]
    public partial void EngineAway(string sessionId, int window, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Circuit refused terminal for session {SessionId}: {Limit} terminals already open")]
    public partial void TooManyTerminals(string sessionId, int limit);
}
