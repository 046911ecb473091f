using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Terminals;

/// <summary>
/// Opens a terminal on a session for a caller, checking that the session is running and belongs to the caller.
/// Both the Blazor terminal and the raw WebSocket endpoint attach through it. A seam so UI tests can attach to a
/// scripted stream instead of a sandbox.
/// </summary>
public interface ITerminalAttacher
{
    /// <exception cref="Sessions.SessionNotFoundException">No running session with that id that the caller owns.</exception>
    /// <exception cref="TerminalAttachException">The sandbox did not accept an attach after the retries, or the engine is away.</exception>
    Task<TerminalStream> AttachAsync(string sessionId, string caller, TerminalAttachOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// A read-only view of anyone's session for an admin (the web layer checks the role; no ownership check here):
    /// the tmux client is read-only and ignores its size, input written to the stream is dropped, and watching does
    /// not count as the session's activity. Recorded as <c>terminal.connected</c> with <c>read_only</c> and <c>by</c>.
    /// </summary>
    /// <exception cref="Sessions.SessionNotFoundException">No running session with that id.</exception>
    /// <exception cref="TerminalAttachException">The sandbox did not accept an attach after the retries.</exception>
    Task<TerminalStream> WatchAsync(string sessionId, string admin, TerminalAttachOptions options, CancellationToken cancellationToken);
}

/// <summary>
/// The sandbox exists but no terminal could be attached to it (still booting past the retry budget, or broken), or the
/// sandbox engine itself did not answer (<see cref="EngineUnavailable"/>; thrown at once, without the retries).
/// </summary>
public sealed class TerminalAttachException : Exception
{
    /// <summary>The text of an attach refused because the engine is away: the UI shows it while it retries.</summary>
    public const string EngineAwayMessage = "The sandbox engine is not answering";

    public TerminalAttachException(string message, Exception inner) : base(message, inner) { }

    /// <summary>
    /// The runtime did not answer at all (a Docker engine restarting): the session and its sandbox may be fine, so a
    /// client retries later rather than giving up.
    /// </summary>
    public bool EngineUnavailable { get; init; }
}
