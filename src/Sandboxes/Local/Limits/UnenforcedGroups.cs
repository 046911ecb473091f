using System.Collections.Concurrent;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// No cgroup support: groups enforce nothing and keep no account (<see cref="ISandboxCgroup.ReadStats"/> is null).
/// They remember the processes added, so that killing a session still reaches those (not what they started).
/// Groups live in memory only: after a restart <see cref="Open"/> finds none.
/// </summary>
internal sealed class UnenforcedGroups(CgroupSupport support) : ISandboxCgroups
{
    private readonly ConcurrentDictionary<string, UnenforcedGroup> _groups = new(StringComparer.Ordinal);

    public CgroupSupport Support { get; } = support;

    public Task<ISandboxCgroup> CreateAsync(string name, SandboxLimits limits, CancellationToken cancellationToken) =>
        Task.FromResult<ISandboxCgroup>(_groups.GetOrAdd(CgroupFiles.ValidateName(name), key => new UnenforcedGroup(key, this)));

    public ISandboxCgroup? Open(string name) => _groups.GetValueOrDefault(CgroupFiles.ValidateName(name));

    private void Forget(string name) => _groups.TryRemove(name, out _);

    private sealed class UnenforcedGroup(string name, UnenforcedGroups owner) : ISandboxCgroup
    {
        private readonly ConcurrentDictionary<int, byte> _pids = new();

        public string Name { get; } = name;

        public void Add(int pid) => _pids[pid] = 0;

        public SandboxCgroupStats? ReadStats() => null;

        // A process that has exited (a zombie included) is no longer in the group.
        public IReadOnlyList<int> ProcessIds() => _pids.Keys.Where(IsRunning).Order().ToList();

        public Task KillAllAsync(CancellationToken cancellationToken) => CgroupFiles.KillAllAsync(ProcessIds, cancellationToken);

        public async Task RemoveAsync(CancellationToken cancellationToken)
        {
            await KillAllAsync(cancellationToken);
            owner.Forget(Name);
        }

        private static bool IsRunning(int pid)
        {
            var stat = CgroupFiles.Read($"/proc/{pid}/stat");
            return stat is not null && stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') is false;
        }
    }
}
