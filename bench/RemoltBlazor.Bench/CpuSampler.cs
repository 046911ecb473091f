namespace RemoltBlazor.Bench;

/// <summary>
/// CPU time per process group from /proc/PID/stat (utime + stime, all threads), so a run can say where the two
/// cores went. Processes that exit between two snapshots are not counted. Groups other than this process are
/// machine-wide (other work on the machine shows up in them), except <see cref="OwnChromiumGroup"/>.
/// </summary>
internal static class CpuSampler
{
    /// <summary>The group of this process (the app server and the bench's own clients).</summary>
    public const string SelfGroup = "bench process (app server + .NET clients)";

    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The group of the Chromium this run started (a child of this process), apart from any other on the machine.</summary>
    public const string OwnChromiumGroup = "chromium (this run's browser)";

    public static Dictionary<string, double> Snapshot()
    {
        var self = Environment.ProcessId;
        var processes = new List<(int Pid, int Parent, string Comm, double Seconds)>();
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

            var fields = stat[(close + 2)..].Split(' ');
            if (fields.Length < 13)
            {
                continue;
            }

            var ticks = double.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                + double.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            processes.Add((pid, int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), stat[(open + 1)..close], ticks / TicksPerSecond));
        }

        var parents = processes.ToDictionary(p => p.Pid, p => p.Parent);
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (pid, _, comm, seconds) in processes)
        {
            if (GroupOf(pid == self, comm) is { } group)
            {
                totals[group] = totals.GetValueOrDefault(group) + seconds;
                if (group == "chromium" && DescendsFrom(pid, self, parents))
                {
                    totals[OwnChromiumGroup] = totals.GetValueOrDefault(OwnChromiumGroup) + seconds;
                }
            }
        }

        return totals;
    }

    private static bool DescendsFrom(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var depth = 0; depth < 64 && parents.TryGetValue(pid, out var parent) && parent > 1; depth++)
        {
            if (parent == ancestor)
            {
                return true;
            }

            pid = parent;
        }

        return false;
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
