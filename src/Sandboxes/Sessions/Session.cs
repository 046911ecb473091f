using RemoltBlazor.Data.Entities;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// A live session as the manager tracks it. State only moves forward and only under the manager's lock; activity is
/// a lock-free timestamp because every terminal read and write touches it.
/// </summary>
public sealed class Session
{
    private long _lastActivityTicks;

    internal Session(string id, string owner, string agentId, bool hasRepo, DateTimeOffset createdAt)
    {
        Id = id;
        Owner = owner;
        AgentId = agentId;
        HasRepo = hasRepo;
        CreatedAt = createdAt;
        _lastActivityTicks = createdAt.UtcTicks;
    }

    public string Id { get; }

    public string Owner { get; }

    public string AgentId { get; }

    public bool HasRepo { get; }

    public DateTimeOffset CreatedAt { get; }

    public string? SandboxId { get; internal set; }

    public SessionState State { get; internal set; } = SessionState.Creating;

    public string? EndReason { get; internal set; }

    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    internal void Touch(DateTimeOffset at) => Interlocked.Exchange(ref _lastActivityTicks, at.UtcTicks);

    internal SessionRecord ToRecord(DateTimeOffset? endedAt = null) => new()
    {
        Id = Id,
        Owner = Owner,
        AgentId = AgentId,
        SandboxId = SandboxId,
        State = State,
        HasRepo = HasRepo,
        CreatedAt = CreatedAt,
        LastActivityAt = LastActivity,
        EndedAt = endedAt,
        EndReason = EndReason,
    };
}
