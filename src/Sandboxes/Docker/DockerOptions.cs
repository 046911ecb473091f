using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Docker runtime settings. The keys are the original's environment variable names, so an existing deployment's
/// environment keeps working when bound from the root configuration.
/// </summary>
public sealed class DockerOptions
{
    public const string DefaultSocketPath = "/var/run/docker.sock";
    private const string UnixScheme = "unix://";

    /// <summary>Docker's own variable; only the <c>unix://</c> form is supported (no TCP/TLS client here).</summary>
    [ConfigurationKeyName("DOCKER_HOST")]
    public string? DockerHost { get; set; }

    [ConfigurationKeyName("REMOLT_DOCKER_SOCKET")]
    public string Socket { get; set; } = DefaultSocketPath;

    [ConfigurationKeyName("REMOLT_SANDBOX_MEMORY_MB")]
    public int MemoryMb { get; set; } = 2048;

    [ConfigurationKeyName("REMOLT_SANDBOX_CPUS")]
    public double Cpus { get; set; } = 2;

    [ConfigurationKeyName("REMOLT_SANDBOX_PIDS")]
    public int PidsLimit { get; set; } = 512;

    /// <summary>
    /// The size cap of a sandbox's own files (its writable layer), in GB; 0 for none. Only storage drivers with
    /// quotas enforce it (overlay2 on xfs with pquota): elsewhere it is logged once and left out.
    /// </summary>
    [ConfigurationKeyName("REMOLT_SANDBOX_DISK_GB")]
    public int DiskGb { get; set; } = 20;

    /// <summary>Carved into one /28 per session network, because the engine's default pools run out near 30.</summary>
    [ConfigurationKeyName("REMOLT_SANDBOX_SUBNET_POOL")]
    public string SubnetPool { get; set; } = "10.213.0.0/16";

    /// <summary>
    /// Comma-separated IPv4 CIDRs no sandbox may reach, on top of what is always blocked (the host's own addresses,
    /// the subnet pool, link-local). By default every private range: the engine's other bridges (whose gateways are
    /// host addresses, and come and go after a sandbox started), the LAN or VPC the server sits in, CGNAT overlays.
    /// Narrow it (or set it empty) to let sandboxes reach an internal service such as a company git server.
    /// </summary>
    [ConfigurationKeyName("REMOLT_SANDBOX_BLOCKED_NETWORKS")]
    public string BlockedNetworks { get; set; } = DefaultBlockedNetworks;

    public const string DefaultBlockedNetworks = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10";

    /// <summary>Off by default: <c>no-new-privileges</c> makes the sandbox's passwordless sudo fail.</summary>
    [ConfigurationKeyName("REMOLT_DOCKER_NO_NEW_PRIVILEGES")]
    public bool NoNewPrivileges { get; set; }

    /// <summary>The socket to dial: <c>DOCKER_HOST=unix:///path</c> wins over <c>REMOLT_DOCKER_SOCKET</c>.</summary>
    public string SocketPath =>
        DockerHost is { Length: > 0 } host && host.StartsWith(UnixScheme, StringComparison.Ordinal)
            ? host[UnixScheme.Length..]
            : Socket;

    /// <summary>The CIDRs of a comma-separated list; entries that do not parse are skipped (the validator names them).</summary>
    internal static IEnumerable<System.Net.IPNetwork> ParseNetworks(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => System.Net.IPNetwork.TryParse(e, out var network) ? network : (System.Net.IPNetwork?)null)
            .OfType<System.Net.IPNetwork>()
            .Where(n => n.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);

    internal bool DockerHostIsUnsupported =>
        DockerHost is { Length: > 0 } host && !host.StartsWith(UnixScheme, StringComparison.Ordinal);
}
