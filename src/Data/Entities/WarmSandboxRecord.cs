namespace RemoltBlazor.Data.Entities;

/// <summary>
/// A pre-created sandbox of the warm pool. It is handed to a session by changing <see cref="State"/> to Claimed in
/// the database before anything uses it, so nothing ever re-identifies it by its (immutable) runtime labels.
/// </summary>
public sealed class WarmSandboxRecord
{
    public required string SandboxId { get; set; }

    public required string AgentId { get; set; }

    public WarmSandboxState State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? ClaimedBySession { get; set; }
}

public enum WarmSandboxState
{
    Ready = 0,
    Claimed = 1,
}
