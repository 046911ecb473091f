namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// Where <see cref="SandboxCgroups.Detect(Microsoft.Extensions.Logging.ILogger, CgroupHost)"/> looks: the real
/// /proc files by default; tests point them at a fake cgroup tree in a temp folder and say which uid the server has.
/// </summary>
internal sealed record CgroupHost(string MountInfoPath, string ProcessCgroupPath, string InitCommandPath, int UserId)
{
    /// <summary>The one directory name every group of this server lives under, so nothing else is touched.</summary>
    public const string ParentName = "remolt";

    public static CgroupHost Current => new("/proc/self/mountinfo", "/proc/self/cgroup", "/proc/1/comm", CgroupFiles.EffectiveUserId());

    public IReadOnlyList<CgroupMount> Mounts() =>
        (CgroupFiles.Read(MountInfoPath) ?? "").Split('\n').Select(CgroupMount.Parse).OfType<CgroupMount>().ToList();

    /// <summary>
    /// The server's own group in the hierarchy of <paramref name="mount"/>, from /proc/self/cgroup
    /// (<c>ID:CONTROLLERS:PATH</c>; v2's line is <c>0::PATH</c>).
    /// </summary>
    public string? OwnPath(CgroupMount mount)
    {
        foreach (var line in (CgroupFiles.Read(ProcessCgroupPath) ?? "").Split('\n'))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            var matches = mount.Unified
                ? parts[0] == "0" && parts[1].Length == 0
                : parts[1].Split(',').ToHashSet().SetEquals(mount.Controllers);
            if (matches)
            {
                return parts[2];
            }
        }

        return null;
    }

    /// <summary>The name of PID 1's program ("systemd" on a systemd host).</summary>
    public string InitCommand => (CgroupFiles.Read(InitCommandPath) ?? "").Trim();
}
