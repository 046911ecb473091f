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

    /// <summary>Carved into one /28 per session network, because the engine's default pools run out near 30.</summary>
    [ConfigurationKeyName("REMOLT_SANDBOX_SUBNET_POOL")]
    public string SubnetPool { get; set; } = "10.213.0.0/16";

    /// <summary>Off by default: <c>no-new-privileges</c> makes the sandbox's passwordless sudo fail.</summary>
    [ConfigurationKeyName("REMOLT_DOCKER_NO_NEW_PRIVILEGES")]
    public bool NoNewPrivileges { get; set; }

    /// <summary>The socket to dial: <c>DOCKER_HOST=unix:///path</c> wins over <c>REMOLT_DOCKER_SOCKET</c>.</summary>
    public string SocketPath =>
        DockerHost is { Length: > 0 } host && host.StartsWith(UnixScheme, StringComparison.Ordinal)
            ? host[UnixScheme.Length..]
            : Socket;

    internal bool DockerHostIsUnsupported =>
        DockerHost is { Length: > 0 } host && !host.StartsWith(UnixScheme, StringComparison.Ordinal);
}
