using System.Globalization;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// Groups on cgroup v1: one directory per hierarchy (memory, cpu, cpuacct, pids; cpu and cpuacct are often one
/// mount), each under <c>remolt</c> inside the server's own group of that hierarchy, so the server's own limits still
/// bound its sandboxes.
/// </summary>
internal sealed class Cgroup1Groups : ISandboxCgroups
{
    public const string Memory = "memory";
    public const string Cpu = "cpu";
    public const string CpuAccounting = "cpuacct";
    public const string Pids = "pids";

    // The CFS period Docker uses too; the quota is the CPUs times it.
    private const long CpuPeriodMicroseconds = 100_000;

    private readonly IReadOnlyDictionary<string, string> _parents;

    /// <param name="parents">Each usable controller and its <c>remolt</c> directory.</param>
    public Cgroup1Groups(IReadOnlyDictionary<string, string> parents, CgroupSupport support)
    {
        _parents = parents;
        Support = support;
    }

    public CgroupSupport Support { get; }

    public Task<ISandboxCgroup> CreateAsync(string name, SandboxLimits limits, CancellationToken cancellationToken)
    {
        var group = GroupOf(CgroupFiles.ValidateName(name));
        foreach (var directory in group.Directories.Values.Distinct())
        {
            Directory.CreateDirectory(directory);
        }

        if (group.Directories.TryGetValue(Memory, out var memory))
        {
            var bytes = limits.MemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? "-1";
            // memsw (memory + swap) must never be below the memory limit: lift it first, then set both equal (no swap,
            // as for a Docker container whose --memory-swap equals --memory), which also works on a group being re-limited.
            var swapFile = Path.Combine(memory, "memory.memsw.limit_in_bytes");
            var swap = File.Exists(swapFile);
            if (swap)
            {
                CgroupFiles.Write(swapFile, "-1");
            }

            CgroupFiles.Write(Path.Combine(memory, "memory.limit_in_bytes"), bytes);
            if (swap && limits.MemoryBytes is not null)
            {
                CgroupFiles.Write(swapFile, bytes);
            }
        }

        if (group.Directories.TryGetValue(Cpu, out var cpu))
        {
            CgroupFiles.Write(Path.Combine(cpu, "cpu.cfs_period_us"), CpuPeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
            var quota = limits.Cpus is { } cpus ? Math.Max(1000, (long)(cpus * CpuPeriodMicroseconds)) : -1;
            CgroupFiles.Write(Path.Combine(cpu, "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture));
        }

        if (group.Directories.TryGetValue(Pids, out var pids))
        {
            CgroupFiles.Write(Path.Combine(pids, "pids.max"), limits.Pids?.ToString(CultureInfo.InvariantCulture) ?? "max");
        }

        return Task.FromResult<ISandboxCgroup>(group);
    }

    public ISandboxCgroup? Open(string name)
    {
        var group = GroupOf(CgroupFiles.ValidateName(name));
        return group.Directories.Values.Any(Directory.Exists) ? group : null;
    }

    private Cgroup1Group GroupOf(string name) =>
        new(name, _parents.ToDictionary(parent => parent.Key, parent => Path.Combine(parent.Value, name)));
}
