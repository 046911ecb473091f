using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// Local (bubblewrap) runtime settings, bound from the root configuration (environment variables) like DockerOptions.
/// Limits default to Docker's.
/// </summary>
public sealed class LocalOptions
{
    public const string HostNetwork = "host";
    public const string NoNetwork = "none";

    /// <summary><c>host</c>: sandboxes share the host's network (and loopback); <c>none</c>: a network namespace with only its own loopback.</summary>
    [ConfigurationKeyName("REMOLT_LOCAL_NETWORK")]
    public string Network { get; set; } = HostNetwork;

    [ConfigurationKeyName("REMOLT_LOCAL_MEMORY_MB")]
    public int MemoryMb { get; set; } = 2048;

    [ConfigurationKeyName("REMOLT_LOCAL_CPUS")]
    public double Cpus { get; set; } = 2;

    [ConfigurationKeyName("REMOLT_LOCAL_PIDS")]
    public int PidsLimit { get; set; } = 512;

    /// <summary>
    /// The host uid sandboxes run as when the server runs as root (never as root itself). Pick one no real user of the
    /// host has: whoever has it owns the sandboxes' files and processes.
    /// </summary>
    [ConfigurationKeyName("REMOLT_LOCAL_UID")]
    public int Uid { get; set; } = 1000;

    /// <summary>The app's data folder (the same variable as the database's): session folders live in its <c>sandboxes/</c>.</summary>
    [ConfigurationKeyName("REMOLT_DATA_DIR")]
    public string DataDirectory { get; set; } = "./data";

    public bool IsolatedNetwork => string.Equals(Network, NoNetwork, StringComparison.OrdinalIgnoreCase);

    public string SandboxesFolder => Path.Combine(Path.GetFullPath(DataDirectory), "sandboxes");

    /// <summary>Where the runtime writes the helper files every sandbox binds read-only (the image's scripts).</summary>
    public string LibFolder => Path.Combine(Path.GetFullPath(DataDirectory), "local-lib");
}
