namespace RemoltBlazor.Data.Entities;

/// <summary>A session row. State moves forward only: Creating, Running, Ending, Ended.</summary>
public sealed class SessionRecord
{
    public required string Id { get; set; }

    /// <summary>The runtime's id of the sandbox (container id, pod name); null while it is being created.</summary>
    public string? SandboxId { get; set; }

    public required string Owner { get; set; }

    public required string AgentId { get; set; }

    public SessionState State { get; set; }

    public bool HasRepo { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastActivityAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why it ended: user, idle, lifetime, sandbox_exited, lost, create_failed.</summary>
    public string? EndReason { get; set; }
}

public enum SessionState
{
    Creating = 0,
    Running = 1,
    Ending = 2,
    Ended = 3,
}
