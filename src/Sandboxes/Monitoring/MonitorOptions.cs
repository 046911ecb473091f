using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Monitoring;

/// <summary>The admin feed's pace. Nothing of it runs while nobody watches (see <see cref="SessionMonitor"/>).</summary>
public sealed class MonitorOptions
{
    /// <summary>How often an update goes to the admin pages (a few times a second: the table updates in place).</summary>
    [ConfigurationKeyName("REMOLT_MONITOR_INTERVAL_MS")]
    [Range(50, 60_000)]
    public int IntervalMilliseconds { get; set; } = 500;

    /// <summary>How often each sandbox's CPU, memory and network counters are read from the runtime.</summary>
    [ConfigurationKeyName("REMOLT_MONITOR_STATS_INTERVAL_MS")]
    [Range(100, 600_000)]
    public int StatsIntervalMilliseconds { get; set; } = 2000;

    /// <summary>How far back the CPU and memory sparklines reach.</summary>
    [ConfigurationKeyName("REMOLT_MONITOR_HISTORY_SECONDS")]
    [Range(1, 86_400)]
    public int HistorySeconds { get; set; } = 300;

    public TimeSpan Interval => TimeSpan.FromMilliseconds(IntervalMilliseconds);

    public TimeSpan StatsInterval => TimeSpan.FromMilliseconds(StatsIntervalMilliseconds);

    /// <summary>Samples kept per session: the history at one sample per stats interval, at least two.</summary>
    public int HistoryLength => Math.Max(2, (int)Math.Ceiling(HistorySeconds * 1000.0 / StatsIntervalMilliseconds));
}
