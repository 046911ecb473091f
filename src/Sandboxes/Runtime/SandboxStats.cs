namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// One reading of a sandbox's resource counters. CPU and network are cumulative since the sandbox started, so a
/// consumer computes rates from two readings; memory is the current use without the reclaimable page cache (what
/// <c>docker stats</c> shows).
/// </summary>
/// <param name="CpuTime">CPU time all processes of the sandbox used, in total.</param>
/// <param name="MemoryLimitBytes">The sandbox's memory limit; null when the runtime reports none.</param>
public sealed record SandboxStats(TimeSpan CpuTime, long MemoryBytes, long? MemoryLimitBytes, long NetworkRxBytes, long NetworkTxBytes);
