namespace RemoltBlazor.Bench;

/// <summary>
/// CPU time per process group from /proc/PID/stat (utime + stime, all threads), so a run can say where the two
/// cores went. Processes that exit between two snapshots are not counted.
/// </summary>
internal static class CpuSampler
{
    /// <summary>The group of this process (the app server and the bench's own clients).</summary>
    public const string SelfGroup = "bench process (app server + .NET clients)";

    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static Dictionary<string, double> Snapshot()
    {
        var self = Environment.ProcessId;
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile
            }

            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                continue;
            }

            var comm = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            if (fields.Length < 13)
            {
                continue;
            }

            var group = GroupOf(pid == self, comm);
            if (group is null)
            {
                continue;
            }

            var ticks = double.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                + double.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            totals[group] = totals.GetValueOrDefault(group) + ticks / TicksPerSecond;
        }

        return totals;
    }

    public static Dictionary<string, double> Delta(Dictionary<string, double> before, Dictionary<string, double> after) =>
        after.ToDictionary(kv => kv.Key, kv => Math.Round(Math.Max(0, kv.Value - before.GetValueOrDefault(kv.Key)), 2), StringComparer.Ordinal);

    private static string? GroupOf(bool self, string comm) => comm switch
    {
        _ when self => SelfGroup,
        _ when comm.StartsWith("chrom", StringComparison.Ordinal) => "chromium",
        "dockerd" => "dockerd",
        _ when comm.StartsWith("containerd", StringComparison.Ordinal) => "containerd + shim",
        _ when comm.StartsWith("tmux", StringComparison.Ordinal) => "tmux (server + clients)",
        "docker" or "script" => "docker CLI + script (baseline client)",
        "cat" => "cat (payload)",
        _ => null,
    };
}
