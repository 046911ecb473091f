namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// A group's use so far: CPU time of all its processes (also those that have exited), memory in use without the
/// reclaimable inactive file cache (as <c>DockerStats</c> computes it), and the memory limit when one is set.
/// </summary>
internal sealed record SandboxCgroupStats(TimeSpan CpuTime, long MemoryBytes, long? MemoryLimitBytes);
