namespace RemoltBlazor.Web.Realtime.Circuit;

/// <summary>Why a circuit terminal stopped. Cancellation (the component went away) is not an ending and has no reason.</summary>
public enum TerminalEndReason
{
    /// <summary>The TTY closed: tmux exited, the session ended or the sandbox went away.</summary>
    Ended,

    /// <summary>No running session with that id that the caller owns (someone else's looks the same).</summary>
    NotFound,

    /// <summary>The sandbox did not accept an attach.</summary>
    AttachFailed,

    /// <summary>Reading, writing or delivering output failed after the attach.</summary>
    Failed,

    /// <summary>The sandbox engine did not answer (a Docker restart): the session may be fine, so it is retried.</summary>
    EngineUnavailable,
}

/// <summary>How a run of a <see cref="CircuitTerminal"/> ended, with a short user-facing detail.</summary>
public sealed record TerminalOutcome(TerminalEndReason Reason, string Detail);
