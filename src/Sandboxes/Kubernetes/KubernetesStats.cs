using System.Globalization;
using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// A pod's counters read from inside it with one exec (the API server has no per-container stats endpoint that needs
/// less than metrics-server): the container's cgroup (v2 <c>cpu.stat</c>, <c>memory.current</c>, <c>memory.max</c>,
/// <c>memory.stat</c>; v1's cpuacct and memory files on older nodes) and <c>/proc/net/dev</c> (every interface but
/// lo). CPU and network are cumulative, as <see cref="SandboxStats"/> says; memory leaves out the inactive page cache
/// as Docker's stats do.
/// </summary>
internal static class KubernetesStats
{
    public static readonly IReadOnlyList<string> Command =
    [
        "sh", "-c",
        "cd /sys/fs/cgroup; " +
        "if [ -f cpu.stat ] && [ -f memory.current ]; then " +
        "echo \"cpu_usec $(sed -n 's/^usage_usec //p' cpu.stat)\"; echo \"memory $(cat memory.current)\"; echo \"limit $(cat memory.max)\"; " +
        "echo \"inactive $(sed -n 's/^inactive_file //p' memory.stat)\"; " +
        "else " +
        "echo \"cpu_nsec $(cat cpuacct/cpuacct.usage 2>/dev/null)\"; echo \"memory $(cat memory/memory.usage_in_bytes 2>/dev/null)\"; " +
        "echo \"limit $(cat memory/memory.limit_in_bytes 2>/dev/null)\"; echo \"inactive $(sed -n 's/^total_inactive_file //p' memory/memory.stat 2>/dev/null)\"; " +
        "fi; cat /proc/net/dev",
    ];

    /// <summary>v1 reports "no limit" as a page-rounded huge number rather than "max".</summary>
    private const long NoLimitV1 = long.MaxValue / 2;

    public static SandboxStats? Parse(string output)
    {
        TimeSpan? cpu = null;
        long memory = 0, inactive = 0, rx = 0, tx = 0;
        long? limit = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            var value = parts.Length == 2 ? parts[1] : "";
            switch (parts[0])
            {
                case "cpu_usec" when Number(value) is { } usec:
                    cpu = TimeSpan.FromMicroseconds(usec);
                    break;
                case "cpu_nsec" when Number(value) is { } nsec:
                    cpu = TimeSpan.FromTicks(nsec / 100);
                    break;
                case "memory":
                    memory = Number(value) ?? 0;
                    break;
                case "limit":
                    limit = Number(value) is { } l and < NoLimitV1 and > 0 ? l : null;
                    break;
                case "inactive":
                    inactive = Number(value) ?? 0;
                    break;
                default:
                    if (line.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && line[..colon].Trim() is var name && name != "lo"
                        && line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 9 } counters)
                    {
                        rx += Number(counters[0]) ?? 0;
                        tx += Number(counters[8]) ?? 0;
                    }

                    break;
            }
        }

        return cpu is { } used ? new SandboxStats(used, inactive < memory ? memory - inactive : memory, limit, rx, tx) : null;
    }

    public static SandboxStats? Parse(ExecResult result) =>
        result.ExitCode == 0 ? Parse(Encoding.UTF8.GetString(result.Stdout)) : null;

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
