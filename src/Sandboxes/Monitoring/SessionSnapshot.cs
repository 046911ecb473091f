using RemoltBlazor.Data.Entities;

namespace RemoltBlazor.Sandboxes.Monitoring;

/// <summary>One live session as the admin page shows it; a new snapshot replaces the old one every tick.</summary>
/// <param name="AttachedClients">Terminal clients attached right now (browser tabs, WebSocket clients; read-only viewers included).</param>
/// <param name="Usage">Null until the runtime answered twice for this sandbox (rates need two readings, one stats
/// interval apart), and while its readings fail.</param>
/// <param name="IdleDeadline">When the idle reaper will end it if nothing happens (idle timeout or lifetime cap, whichever
/// comes first; see <see cref="Sessions.SessionOptions.EndDeadline"/>); null unless it is running.</param>
/// <param name="CpuHistory">CPU percent samples, oldest first, of the last minutes (one per stats sample).</param>
/// <param name="MemoryHistory">Memory bytes samples aligned with <paramref name="CpuHistory"/>.</param>
public sealed record SessionSnapshot(
    string Id,
    string Owner,
    string AgentId,
    SessionState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivity,
    int AttachedClients,
    SandboxUsage? Usage,
    DateTimeOffset? IdleDeadline,
    IReadOnlyList<double> CpuHistory,
    IReadOnlyList<long> MemoryHistory);

/// <summary>Resource use of one sandbox from the runtime's stats: rates over the last sample interval.</summary>
public sealed record SandboxUsage(double CpuPercent, long MemoryBytes, long? MemoryLimitBytes, double NetworkRxBytesPerSecond, double NetworkTxBytesPerSecond);

/// <summary>The server panel: runtime health, sessions against limits, the warm pool and host load.</summary>
public sealed record ServerStatus(
    string Runtime,
    bool RuntimeAvailable,
    string? RuntimeDetail,
    int LiveSessions,
    int MaxSessions,
    int MaxSessionsPerUser,
    int WarmPoolTarget,
    int WarmPoolReady,
    IReadOnlyList<double> LoadAverage,
    int ProcessorCount,
    DateTimeOffset At);

/// <summary>What one subscriber receives per tick: every live session and the server panel.</summary>
public sealed record MonitorUpdate(IReadOnlyList<SessionSnapshot> Sessions, ServerStatus Server);
