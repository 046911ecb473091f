using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Monitoring;

namespace RemoltBlazor.Web.Components.Pages.Admin;

/// <summary>
/// One row of the admin grid: the sortable values (numbers and times, so columns sort by value, not by text) and
/// their display text, computed once per update from a <see cref="SessionSnapshot"/> and the time it is shown at.
/// Rows are equal by session id (also <see cref="ById"/>): the grid keys its rows by item, so a row of the next update
/// is the same row to Blazor's diff, and the browser keeps its element (a click in flight, the keyboard focus, hover)
/// instead of getting a new one every update; the grid keeps its selection too.
/// </summary>
public sealed record SessionRow(SessionSnapshot Snapshot, DateTimeOffset Now)
{
    /// <summary>Idle countdowns under this are shown as a warning.</summary>
    public static readonly TimeSpan IdleWarning = TimeSpan.FromMinutes(2);

    public static IEqualityComparer<SessionRow> ById { get; } = new IdComparer();

    public string Id => Snapshot.Id;

    public string ShortId => Id.Length > 8 ? Id[..8] : Id;

    public string Owner => Snapshot.Owner;

    public string Agent => Snapshot.AgentId;

    public SessionState State => Snapshot.State;

    public string StateText => Snapshot.State.ToString().ToLowerInvariant();

    public DateTimeOffset Created => Snapshot.CreatedAt;

    public string CreatedText => AdminFormat.Ago(Snapshot.CreatedAt, Now);

    public DateTimeOffset LastActivity => Snapshot.LastActivity;

    public string LastActivityText => AdminFormat.Ago(Snapshot.LastActivity, Now);

    public int Clients => Snapshot.AttachedClients;

    /// <summary>Null until the runtime reported once (sorts first ascending, last descending).</summary>
    public double? Cpu => Snapshot.Usage?.CpuPercent;

    public string CpuText => Cpu is { } cpu ? AdminFormat.Percent(cpu) : AdminFormat.None;

    public long? Memory => Snapshot.Usage?.MemoryBytes;

    public string MemoryText => Snapshot.Usage switch
    {
        null => AdminFormat.None,
        { MemoryLimitBytes: { } limit and > 0 } usage => $"{AdminFormat.Bytes(usage.MemoryBytes)} / {AdminFormat.Bytes(limit)}",
        var usage => AdminFormat.Bytes(usage.MemoryBytes),
    };

    /// <summary>Share of the memory limit in percent, when there is a limit.</summary>
    public double? MemoryPercent => Snapshot.Usage is { MemoryLimitBytes: { } limit and > 0 } usage ? 100.0 * usage.MemoryBytes / limit : null;

    /// <summary>Received plus sent, bytes per second: what the column sorts by.</summary>
    public double? Network => Snapshot.Usage is { } usage ? usage.NetworkRxBytesPerSecond + usage.NetworkTxBytesPerSecond : null;

    public string NetworkText => Snapshot.Usage is { } usage
        ? $"↓ {AdminFormat.Rate(usage.NetworkRxBytesPerSecond)} ↑ {AdminFormat.Rate(usage.NetworkTxBytesPerSecond)}"
        : AdminFormat.None;

    /// <summary>Time until the idle reaper ends it (never negative); null when reaping is off.</summary>
    public TimeSpan? IdleLeft => Snapshot.IdleDeadline is { } deadline ? (deadline - Now) > TimeSpan.Zero ? deadline - Now : TimeSpan.Zero : null;

    public string IdleText => IdleLeft is { } left ? AdminFormat.Countdown(left) : AdminFormat.None;

    public bool IdleSoon => IdleLeft is { } left && left < IdleWarning;

    /// <summary>What the quick filter searches: owner, agent, state and id.</summary>
    public bool Matches(string? text) =>
        string.IsNullOrWhiteSpace(text)
        || Owner.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)
        || Agent.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)
        || StateText.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)
        || Id.StartsWith(text.Trim(), StringComparison.OrdinalIgnoreCase);

    public bool Equals(SessionRow? other) => other is not null && Id == other.Id;

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    private sealed class IdComparer : IEqualityComparer<SessionRow>
    {
        public bool Equals(SessionRow? x, SessionRow? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Id == y.Id);

        public int GetHashCode(SessionRow obj) => StringComparer.Ordinal.GetHashCode(obj.Id);
    }
}
