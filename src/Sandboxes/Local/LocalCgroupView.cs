using RemoltBlazor.Sandboxes.Local.Limits;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// What a sandbox sees at /sys/fs/cgroup: its own group of each hierarchy (read-only) where the host's root group
/// would be, as a container sees its own. So its CPU and memory counters (read by the idle reaper's activity probe and
/// by tools inside) count the session, not the whole host.
/// </summary>
internal static class LocalCgroupView
{
    /// <summary>bwrap arguments binding <paramref name="pid"/>'s groups over the hierarchies' mount points; none without cgroups.</summary>
    public static IReadOnlyList<string> BindArguments(int pid)
    {
        var self = CgroupHost.Current;
        var process = self with { ProcessCgroupPath = $"/proc/{pid}/cgroup" };
        var args = new List<string>();
        foreach (var mount in self.Mounts().Where(m => m.MountPoint.StartsWith("/sys/fs/cgroup", StringComparison.Ordinal)))
        {
            if (process.OwnPath(mount) is { } path && mount.DirectoryOf(path) is var directory && directory != mount.MountPoint && Directory.Exists(directory))
            {
                args.AddRange(["--ro-bind", directory, mount.MountPoint]);
            }
        }

        return args;
    }
}
