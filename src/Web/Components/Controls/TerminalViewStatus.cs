using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Controls;

public enum TerminalStatusKind
{
    Info,
    Ok,
    Warn,
    Error,
}

/// <summary>The in-place status a <see cref="TerminalView"/> shows over its terminal, and the line it writes into it.</summary>
public sealed record TerminalViewStatus(TerminalStatusKind Kind, string Text)
{
    public static TerminalViewStatus Connecting { get; } = new(TerminalStatusKind.Info, "Connecting…");

    public static TerminalViewStatus Connected { get; } = new(TerminalStatusKind.Ok, "Connected");

    /// <summary>The words the workspace shows while the sandbox engine is away.</summary>
    public const string ReconnectingToEngine = "Reconnecting to the sandbox engine";

    /// <summary>Whether the overlay offers "Retry now".</summary>
    public bool CanRetry { get; init; }

    /// <summary>Between attempts: why the terminal dropped and when the next attempt starts.</summary>
    public static TerminalViewStatus Reconnecting(TerminalOutcome outcome, int secondsLeft) => new(
        TerminalStatusKind.Warn,
        outcome.Reason switch
        {
            TerminalEndReason.Ended => $"Terminal closed. Reconnecting in {secondsLeft} s…",
            // Not an error of this session: the engine (dockerd) is restarting, and the sandbox usually outlives it.
            TerminalEndReason.EngineUnavailable => $"{ReconnectingToEngine}… next attempt in {secondsLeft} s",
            _ => $"Connection lost ({outcome.Detail}). Reconnecting in {secondsLeft} s…",
        })
    {
        CanRetry = true,
    };

    /// <summary>A line for xterm.js: the same text behind a dot, so it reads as a status rather than program output.</summary>
    public string TerminalLine => $"● {Text}";

    public static TerminalViewStatus From(TerminalOutcome outcome) => outcome.Reason switch
    {
        TerminalEndReason.Ended => new(TerminalStatusKind.Warn, "Session ended"),
        TerminalEndReason.NotFound => new(TerminalStatusKind.Error, "Session not found"),
        TerminalEndReason.AttachFailed => new(TerminalStatusKind.Error, $"Attach failed: {outcome.Detail}"),
        _ => new(TerminalStatusKind.Error, $"Disconnected: {outcome.Detail}"),
    };
}

/// <summary>Raised once by <see cref="TerminalView.OnEnded"/> when its terminal stops for a reason other than disposal.</summary>
public sealed record TerminalEndedArgs(string SessionId, int Window, TerminalEndReason Reason, string Detail);
