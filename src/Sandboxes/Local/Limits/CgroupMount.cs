namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// One mounted cgroup hierarchy (a line of <c>/proc/self/mountinfo</c>): where it is mounted, which part of the
/// hierarchy the mount shows (a container sees its own group as the root), and its controllers (none listed for v2,
/// whose controllers are per group).
/// </summary>
internal sealed record CgroupMount(string MountPoint, string Root, bool Unified, IReadOnlySet<string> Controllers)
{
    // The super options of a v1 mount mix its controllers with flags (rw, clone_children, xattr, release_agent=...).
    private static readonly HashSet<string> s_v1Controllers =
    [
        "blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "hugetlb", "memory", "misc", "net_cls", "net_prio",
        "perf_event", "pids", "rdma",
    ];

    /// <summary>The directory of the hierarchy path <paramref name="path"/> (as /proc/self/cgroup names it) in this mount.</summary>
    public string DirectoryOf(string path)
    {
        var relative = Root != "/" && (path == Root || path.StartsWith(Root + "/", StringComparison.Ordinal)) ? path[Root.Length..] : path;
        return Path.Join(MountPoint, relative.TrimStart('/'));
    }

    /// <summary>
    /// Parses a mountinfo line: <c>ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS</c>.
    /// Null for anything that is not a cgroup mount.
    /// </summary>
    public static CgroupMount? Parse(string line)
    {
        var fields = line.Split(' ');
        var separator = Array.IndexOf(fields, "-");
        if (fields.Length < 5 || separator < 0 || separator + 3 > fields.Length)
        {
            return null;
        }

        var type = fields[separator + 1];
        if (type is not ("cgroup" or "cgroup2"))
        {
            return null;
        }

        var controllers = type == "cgroup"
            ? fields[separator + 3].Split(',').Where(s_v1Controllers.Contains).ToHashSet()
            : [];
        return new CgroupMount(Unescape(fields[4]), Unescape(fields[3]), type == "cgroup2", controllers);
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", match => ((char)Convert.ToInt32(match.Groups[1].Value, 8)).ToString());
}
