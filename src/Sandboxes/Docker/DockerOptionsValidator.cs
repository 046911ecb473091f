using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>Checks every Docker setting and reports all problems at once, so a bad deployment is fixed in one go.</summary>
internal sealed class DockerOptionsValidator : IValidateOptions<DockerOptions>
{
    /// <summary>Each session network is a /28: 14 usable addresses, plenty for one container and its gateway.</summary>
    internal const int SessionPrefixLength = 28;

    public ValidateOptionsResult Validate(string? name, DockerOptions options)
    {
        var errors = new List<string>();
        if (options.DockerHostIsUnsupported)
        {
            errors.Add($"DOCKER_HOST '{options.DockerHost}' is not supported: only unix:///path/to/docker.sock is.");
        }

        if (string.IsNullOrWhiteSpace(options.SocketPath) || !options.SocketPath.StartsWith('/'))
        {
            errors.Add($"The Docker socket path '{options.SocketPath}' must be an absolute path (REMOLT_DOCKER_SOCKET or DOCKER_HOST=unix:///...).");
        }

        if (options.MemoryMb < 64)
        {
            errors.Add($"REMOLT_SANDBOX_MEMORY_MB is {options.MemoryMb}; it must be at least 64.");
        }

        if (!(options.Cpus > 0) || options.Cpus > 1024 || double.IsNaN(options.Cpus))
        {
            errors.Add($"REMOLT_SANDBOX_CPUS is {options.Cpus}; it must be greater than 0 and at most 1024.");
        }

        if (options.PidsLimit < 16)
        {
            errors.Add($"REMOLT_SANDBOX_PIDS is {options.PidsLimit}; it must be at least 16.");
        }

        if (options.DiskGb < 0)
        {
            errors.Add($"REMOLT_SANDBOX_DISK_GB is {options.DiskGb}; it must be 0 (no quota) or more.");
        }

        if (!IPNetwork.TryParse(options.SubnetPool, out var pool))
        {
            errors.Add($"REMOLT_SANDBOX_SUBNET_POOL '{options.SubnetPool}' is not a CIDR subnet such as 10.213.0.0/16.");
        }
        else if (pool.BaseAddress.AddressFamily != AddressFamily.InterNetwork || pool.PrefixLength > SessionPrefixLength)
        {
            errors.Add($"REMOLT_SANDBOX_SUBNET_POOL '{options.SubnetPool}' must be an IPv4 subnet of /{SessionPrefixLength} or larger.");
        }

        foreach (var entry in options.BlockedNetworks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPNetwork.TryParse(entry, out var blocked) || blocked.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
            {
                errors.Add($"REMOLT_SANDBOX_BLOCKED_NETWORKS entry '{entry}' is not an IPv4 CIDR such as 10.0.0.0/8.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
