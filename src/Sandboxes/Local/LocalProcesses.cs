using System.Globalization;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>What /proc says about processes: start times, the boot id, the tree under a sandbox's outer bwrap, usage.</summary>
internal static class LocalProcesses
{
    private static readonly long s_pageSize = Environment.SystemPageSize;

    /// <summary>Ticks per second of /proc's times (USER_HZ): 100 on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static string BootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The process's start time (clock ticks after boot), or null when it does not exist.</summary>
    public static long? StartTime(int pid) => ReadStat(pid) is { } stat ? stat.StartTime : null;

    /// <summary>Whether <paramref name="pid"/> is still the process recorded with <paramref name="startTime"/> in this boot.</summary>
    public static bool IsAlive(int pid, long startTime, string bootId) =>
        bootId == BootId() && StartTime(pid) == startTime && ReadStat(pid) is { State: not 'Z' and not 'X' };

    /// <summary><paramref name="root"/> and every process below it.</summary>
    public static List<int> Tree(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var pid in AllPids())
        {
            if (ReadStat(pid) is { } stat)
            {
                if (!children.TryGetValue(stat.ParentPid, out var list))
                {
                    children[stat.ParentPid] = list = [];
                }

                list.Add(pid);
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            if (children.TryGetValue(tree[i], out var below))
            {
                tree.AddRange(below);
            }
        }

        return tree;
    }

    /// <summary>
    /// CPU time of the processes (with what their reaped children used) and their resident memory: the usage of a
    /// sandbox without a cgroup to count it.
    /// </summary>
    public static (TimeSpan Cpu, long MemoryBytes) Usage(IEnumerable<int> pids)
    {
        long ticks = 0;
        long pages = 0;
        foreach (var pid in pids)
        {
            if (ReadStat(pid) is { } stat)
            {
                ticks += stat.CpuTicks;
                pages += stat.RssPages;
            }
        }

        return (TimeSpan.FromSeconds(ticks / TicksPerSecond), pages * s_pageSize);
    }

    private static IEnumerable<int> AllPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    private static ProcStat? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces or ')': the fields start after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var f = text[(close + 2)..].Split(' ');
        if (f.Length < 22)
        {
            return null;
        }

        long L(int field) => long.Parse(f[field - 3], CultureInfo.InvariantCulture);
        return new ProcStat(f[0][0], (int)L(4), L(14) + L(15) + L(16) + L(17), L(22), L(24));
    }

    private sealed record ProcStat(char State, int ParentPid, long CpuTicks, long StartTime, long RssPages);
}
