using System.Diagnostics;
using System.Globalization;
using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// Whether anything happened inside a sandbox since the last look, with or without a browser attached: output in
/// any tmux window (tmux's <c>window_activity</c>) or CPU use above a threshold (the sandbox's cgroup counter, v2 or
/// v1). One small exec per session per sweep, the same on every runtime.
/// </summary>
internal sealed class SandboxActivityProbe(ISandboxRuntime runtime)
{
    // The probe's own exec (bash, tmux, awk) costs a few milliseconds of the sandbox's CPU; never count that as work.
    internal static readonly TimeSpan ProbeAllowance = TimeSpan.FromMilliseconds(30);

    private const string Script =
        "tmux list-windows -a -F 'tmux #{window_activity}' 2>/dev/null; " +
        "if [ -r /sys/fs/cgroup/cpu.stat ]; then awk '/^usage_usec/ {print \"cpu_us\", $2}' /sys/fs/cgroup/cpu.stat; " +
        "elif [ -r /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then awk '{printf \"cpu_us %d\\n\", $1 / 1000}' /sys/fs/cgroup/cpuacct/cpuacct.usage; fi";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, Sample> _previous = new(StringComparer.Ordinal);

    /// <summary>True if the sandbox showed output or CPU work since the previous call for it (never on the first).</summary>
    public async Task<bool> WasActiveAsync(string sandboxId, double cpuPercent, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        var result = await runtime.ExecAsync(sandboxId, ["bash", "-c", Script], ReadOnlyMemory<byte>.Empty, timeout.Token);
        var sample = Parse(Encoding.UTF8.GetString(result.Stdout), Stopwatch.GetTimestamp());
        var active = _previous.TryGetValue(sandboxId, out var before) && IsActive(before, sample, cpuPercent);
        _previous[sandboxId] = sample;
        return active;
    }

    public void Forget(string sandboxId) => _previous.Remove(sandboxId);

    internal static Sample Parse(string output, long timestamp)
    {
        long tmux = 0;
        long? cpu = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            if (parts[0] == "tmux")
            {
                tmux = Math.Max(tmux, value);
            }
            else if (parts[0] == "cpu_us")
            {
                cpu = value;
            }
        }

        return new Sample(tmux, cpu, timestamp);
    }

    /// <summary>
    /// CPU is judged against real elapsed time (the counter is physical, whatever clock the app runs on); tmux
    /// activity by any change of the newest window's timestamp.
    /// </summary>
    internal static bool IsActive(Sample before, Sample after, double cpuPercent)
    {
        if (after.TmuxActivity > before.TmuxActivity)
        {
            return true;
        }

        if (before.CpuMicroseconds is not { } cpuBefore || after.CpuMicroseconds is not { } cpuAfter)
        {
            return false;
        }

        var used = TimeSpan.FromMicroseconds(cpuAfter - cpuBefore) - ProbeAllowance;
        var elapsed = Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp);
        return used > TimeSpan.Zero && used.TotalMilliseconds > elapsed.TotalMilliseconds * cpuPercent / 100;
    }

    internal readonly record struct Sample(long TmuxActivity, long? CpuMicroseconds, long Timestamp);
}
