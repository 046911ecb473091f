using System.Globalization;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>A session's group on cgroup v2: one directory.</summary>
internal sealed class Cgroup2Group : ISandboxCgroup
{
    private static readonly TimeSpan s_emptyPause = TimeSpan.FromMilliseconds(10);

    public Cgroup2Group(string name, string directory)
    {
        Name = name;
        Directory = directory;
    }

    public string Name { get; }

    public string Directory { get; }

    public void Add(int pid) =>
        CgroupFiles.Write(Path.Combine(Directory, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>cpu.stat</c>'s usage is kept without the cpu controller too; memory needs the memory controller.</summary>
    public SandboxCgroupStats? ReadStats()
    {
        var cpuMicroseconds = CgroupFiles.ReadKey(Path.Combine(Directory, "cpu.stat"), "usage_usec") ?? 0;
        var memory = CgroupFiles.ReadLong(Path.Combine(Directory, "memory.current")) ?? 0;
        if (CgroupFiles.ReadKey(Path.Combine(Directory, "memory.stat"), "inactive_file") is { } inactive && inactive < memory)
        {
            memory -= inactive;
        }

        // memory.max reads "max" when unlimited, which does not parse: no limit.
        var limit = CgroupFiles.ReadLong(Path.Combine(Directory, "memory.max"));
        return new SandboxCgroupStats(TimeSpan.FromMicroseconds(cpuMicroseconds), memory, limit);
    }

    public IReadOnlyList<int> ProcessIds() => CgroupFiles.ReadProcesses(Directory).Order().ToList();

    /// <summary>
    /// <c>cgroup.kill</c> (Linux 5.14+) kills the whole group at once, forks in flight included; older kernels get the
    /// kill-until-empty loop. Either way this returns once the group is empty.
    /// </summary>
    public async Task KillAllAsync(CancellationToken cancellationToken)
    {
        var kill = Path.Combine(Directory, "cgroup.kill");
        if (!File.Exists(kill))
        {
            await CgroupFiles.KillAllAsync(ProcessIds, cancellationToken);
            return;
        }

        CgroupFiles.Write(kill, "1");
        while (ProcessIds().Count > 0)
        {
            await Task.Delay(s_emptyPause, cancellationToken);
        }
    }

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        await KillAllAsync(cancellationToken);
        await CgroupFiles.RemoveDirectoryAsync(Directory, cancellationToken);
    }
}
