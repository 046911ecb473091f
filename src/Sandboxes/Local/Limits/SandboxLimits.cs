namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>What a session's processes may use together; null means no limit of that kind.</summary>
internal sealed record SandboxLimits(long? MemoryBytes, double? Cpus, int? Pids);
