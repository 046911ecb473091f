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
        PersistedActivity = createdAt;
    }

    public string Id { get; }

    public string Owner { get; }

    public string AgentId { get; }

    public bool HasRepo { get; }

    public DateTimeOffset CreatedAt { get; }

    public string? SandboxId { get; internal set; }

    public SessionState State { get; internal set; } = SessionState.Creating;

    /// <summary>Its sandbox is up: terminals and proxies may use it.</summary>
    public bool IsRunning => State == SessionState.Running;

    /// <summary>Known but not usable: still being created, or being ended.</summary>
    public bool IsPending => State is SessionState.Creating or SessionState.Ending;

    public string? EndReason { get; internal set; }

    /// <summary>
    /// Whether <paramref name="login"/> owns it. An ownerless session (an old row) is nobody's, unlike the original's
    /// REST routes (behaviour page section 12, item 19); only admins see it, through the admin listing.
    /// </summary>
    public bool IsOwnedBy(string login) => Owner.Length > 0 && string.Equals(Owner, login, StringComparison.Ordinal);

    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    /// <summary>The last-activity time the database holds; written in batches, not on every keystroke.</summary>
    internal DateTimeOffset PersistedActivity { get; set; }

    /// <summary>Moves the activity time forward (never back: a stale sample must not make a busy session look idle).</summary>
    internal void Touch(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        var current = Interlocked.Read(ref _lastActivityTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _lastActivityTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

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
