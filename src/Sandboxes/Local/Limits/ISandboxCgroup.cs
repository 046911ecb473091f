namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>One session's processes under its limits.</summary>
internal interface ISandboxCgroup
{
    string Name { get; }

    /// <summary>Moves the process into the group; the children it starts from then on are in it too.</summary>
    void Add(int pid);

    /// <summary>Use so far, or null when the host keeps no account (no cgroup support).</summary>
    SandboxCgroupStats? ReadStats();

    IReadOnlyList<int> ProcessIds();

    /// <summary>Kills every process in the group and returns once none is left.</summary>
    Task KillAllAsync(CancellationToken cancellationToken);

    /// <summary>Kills what is left and removes the group.</summary>
    Task RemoveAsync(CancellationToken cancellationToken);
}
