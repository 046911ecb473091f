namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>Resource groups for local sandboxes, on whatever the host allows (see <see cref="SandboxCgroups.Detect"/>).</summary>
internal interface ISandboxCgroups
{
    CgroupSupport Support { get; }

    /// <summary>
    /// Creates the group <paramref name="name"/> (letters, digits, '.', '_', '-') with <paramref name="limits"/>, or
    /// sets them again on one that exists. Without support the group enforces nothing and reads no stats.
    /// </summary>
    Task<ISandboxCgroup> CreateAsync(string name, SandboxLimits limits, CancellationToken cancellationToken);

    /// <summary>The group of that name if it exists (after a server restart), else null.</summary>
    ISandboxCgroup? Open(string name);
}
