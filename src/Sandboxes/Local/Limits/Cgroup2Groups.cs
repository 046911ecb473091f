using System.Globalization;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// Groups on cgroup v2: <c>remolt/NAME</c> in a delegated subtree, with the controllers the subtree offers enabled in
/// <c>remolt/cgroup.subtree_control</c> (done once by <see cref="SandboxCgroups"/>).
/// </summary>
internal sealed class Cgroup2Groups : ISandboxCgroups
{
    private const long CpuPeriodMicroseconds = 100_000;

    private readonly string _parent;
    private readonly IReadOnlySet<string> _controllers;

    /// <param name="parent">The <c>remolt</c> directory.</param>
    /// <param name="controllers">The controllers enabled for its children (a subset of memory, cpu and pids).</param>
    public Cgroup2Groups(string parent, IReadOnlySet<string> controllers, CgroupSupport support)
    {
        _parent = parent;
        _controllers = controllers;
        Support = support;
    }

    public CgroupSupport Support { get; }

    public Task<ISandboxCgroup> CreateAsync(string name, SandboxLimits limits, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_parent, CgroupFiles.ValidateName(name));
        Directory.CreateDirectory(directory);
        if (_controllers.Contains("memory"))
        {
            CgroupFiles.Write(Path.Combine(directory, "memory.max"), limits.MemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? "max");
            // No swap beyond the limit (Docker's --memory-swap equal to --memory); absent without swap accounting.
            var swap = Path.Combine(directory, "memory.swap.max");
            if (File.Exists(swap))
            {
                CgroupFiles.Write(swap, limits.MemoryBytes is null ? "max" : "0");
            }
        }

        if (_controllers.Contains("cpu"))
        {
            var quota = limits.Cpus is { } cpus ? Math.Max(1000, (long)(cpus * CpuPeriodMicroseconds)).ToString(CultureInfo.InvariantCulture) : "max";
            CgroupFiles.Write(Path.Combine(directory, "cpu.max"), $"{quota} {CpuPeriodMicroseconds}");
        }

        if (_controllers.Contains("pids"))
        {
            CgroupFiles.Write(Path.Combine(directory, "pids.max"), limits.Pids?.ToString(CultureInfo.InvariantCulture) ?? "max");
        }

        return Task.FromResult<ISandboxCgroup>(new Cgroup2Group(name, directory));
    }

    public ISandboxCgroup? Open(string name)
    {
        var directory = Path.Combine(_parent, CgroupFiles.ValidateName(name));
        return Directory.Exists(directory) ? new Cgroup2Group(name, directory) : null;
    }
}
