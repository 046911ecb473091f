namespace RemoltBlazor.Sandboxes.Monitoring;

/// <summary>The sampler's own cost: ticks and stats refreshes done and the wall time spent in them.</summary>
internal sealed record MonitorCost(long Ticks, TimeSpan TickTime, long Refreshes, TimeSpan RefreshTime);
