using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Monitoring;

/// <summary>
/// One session's stats readings turned into rates and a bounded history. Written by one refresh at a time and read
/// by every tick: each reading publishes a new immutable <see cref="UsageView"/>, so a tick never sees half of one
/// and unchanged histories keep their identity between updates (cheap for the page to compare).
/// </summary>
internal sealed class UsageSeries(int capacity)
{
    private readonly Queue<double> _cpu = new(capacity);
    private readonly Queue<long> _memory = new(capacity);
    private SandboxStats? _last;
    private long _lastTimestamp;
    private volatile UsageView _view = UsageView.Empty;
    private bool _failing;

    public UsageView View => _view;

    /// <summary>
    /// Adds a reading taken at <paramref name="timestamp"/> (a <see cref="TimeProvider"/> timestamp). The first only
    /// sets the base: rates need two readings.
    /// </summary>
    public void Add(SandboxStats stats, long timestamp, TimeProvider time)
    {
        _failing = false;
        var last = _last;
        var elapsed = last is null ? TimeSpan.Zero : time.GetElapsedTime(_lastTimestamp, timestamp);
        _last = stats;
        _lastTimestamp = timestamp;
        if (last is null || elapsed <= TimeSpan.Zero)
        {
            return;
        }

        var seconds = elapsed.TotalSeconds;
        // Counters only grow while the sandbox lives; a drop means it restarted, and the rate is unknown for that step.
        var cpuPercent = Math.Max(0, (stats.CpuTime - last.CpuTime).TotalSeconds) / seconds * 100;
        var usage = new SandboxUsage(
            Math.Round(cpuPercent, 2),
            stats.MemoryBytes,
            stats.MemoryLimitBytes,
            Math.Max(0, stats.NetworkRxBytes - last.NetworkRxBytes) / seconds,
            Math.Max(0, stats.NetworkTxBytes - last.NetworkTxBytes) / seconds);

        if (_cpu.Count == capacity)
        {
            _cpu.Dequeue();
            _memory.Dequeue();
        }

        _cpu.Enqueue(usage.CpuPercent);
        _memory.Enqueue(usage.MemoryBytes);
        _view = new UsageView(usage, [.. _cpu], [.. _memory]);
    }

    /// <summary>The runtime gave no reading: usage is unknown until the next one. True the first time in a row.</summary>
    public bool MarkUnknown()
    {
        var first = !_failing;
        _failing = true;
        if (_view.Usage is not null)
        {
            _view = _view with { Usage = null };
        }

        return first;
    }
}

/// <summary>What a tick shows of a session's usage: the latest rates (null if unknown) and the history, oldest first.</summary>
internal sealed record UsageView(SandboxUsage? Usage, IReadOnlyList<double> CpuHistory, IReadOnlyList<long> MemoryHistory)
{
    public static readonly UsageView Empty = new(null, [], []);
}
