using System.Globalization;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>A session's group on cgroup v1: the same name in each hierarchy the host lets us write.</summary>
internal sealed class Cgroup1Group : ISandboxCgroup
{
    // memory.limit_in_bytes reads as the largest page-aligned long when no limit is set.
    private const long NoLimitAbove = long.MaxValue / 2;

    public Cgroup1Group(string name, IReadOnlyDictionary<string, string> directories)
    {
        Name = name;
        Directories = directories;
    }

    public string Name { get; }

    /// <summary>Each controller's directory for this group (co-mounted controllers share one).</summary>
    public IReadOnlyDictionary<string, string> Directories { get; }

    private IEnumerable<string> Distinct => Directories.Values.Distinct();

    /// <summary>A v1 process is in one group per hierarchy: it is moved in each.</summary>
    public void Add(int pid)
    {
        foreach (var directory in Distinct)
        {
            CgroupFiles.Write(Path.Combine(directory, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    public SandboxCgroupStats? ReadStats()
    {
        var cpuNanoseconds = (Directories.TryGetValue(Cgroup1Groups.CpuAccounting, out var accounting)
            ? CgroupFiles.ReadLong(Path.Combine(accounting, "cpuacct.usage"))
            : null) ?? 0;
        long memory = 0;
        long? limit = null;
        if (Directories.TryGetValue(Cgroup1Groups.Memory, out var memoryDirectory))
        {
            memory = CgroupFiles.ReadLong(Path.Combine(memoryDirectory, "memory.usage_in_bytes")) ?? 0;
            var inactive = CgroupFiles.ReadKey(Path.Combine(memoryDirectory, "memory.stat"), "total_inactive_file")
                ?? CgroupFiles.ReadKey(Path.Combine(memoryDirectory, "memory.stat"), "inactive_file");
            if (inactive < memory)
            {
                memory -= inactive.Value;
            }

            limit = CgroupFiles.ReadLong(Path.Combine(memoryDirectory, "memory.limit_in_bytes")) is { } bytes and < NoLimitAbove ? bytes : null;
        }

        return new SandboxCgroupStats(TimeSpan.FromTicks(cpuNanoseconds / 100), memory, limit);
    }

    public IReadOnlyList<int> ProcessIds() => Distinct.SelectMany(CgroupFiles.ReadProcesses).Distinct().Order().ToList();

    public Task KillAllAsync(CancellationToken cancellationToken) => CgroupFiles.KillAllAsync(ProcessIds, cancellationToken);

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        await KillAllAsync(cancellationToken);
        foreach (var directory in Distinct)
        {
            await CgroupFiles.RemoveDirectoryAsync(directory, cancellationToken);
        }
    }
}
