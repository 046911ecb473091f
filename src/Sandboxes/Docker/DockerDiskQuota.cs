using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Caps a sandbox's writable layer (REMOLT_SANDBOX_DISK_GB) where the storage driver can: overlay2 on xfs mounted
/// with pquota (also devicemapper, btrfs, zfs). Other setups (overlay2 on ext4, the common case) refuse the option
/// outright; then sandboxes are created without it and the server says so once, instead of failing every create.
/// </summary>
internal sealed partial class DockerDiskQuota(DockerOptions options, ILogger logger)
{
    private volatile bool _unsupported;

    /// <summary>False once the engine refused the option (until the server restarts).</summary>
    public bool Applies => options.DiskGb > 0 && !_unsupported;

    /// <summary>Creates the container with the quota when it applies, and without it if the engine cannot do quotas.</summary>
    public async Task CreateAsync(DockerClient client, CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        if (!Applies)
        {
            await client.Containers.CreateContainerAsync(parameters, cancellationToken);
            return;
        }

        var host = parameters.HostConfig ??= new HostConfig();
        host.StorageOpt = new Dictionary<string, string> { ["size"] = $"{options.DiskGb}G" };
        try
        {
            await client.Containers.CreateContainerAsync(parameters, cancellationToken);
        }
        catch (DockerApiException ex) when (DockerEngine.EngineMessage(ex).Contains("storage-opt", StringComparison.OrdinalIgnoreCase))
        {
            _unsupported = true;
            LogUnsupported(logger, options.DiskGb, DockerEngine.EngineMessage(ex));
            host.StorageOpt = null!;
            await client.Containers.CreateContainerAsync(parameters, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "REMOLT_SANDBOX_DISK_GB={DiskGb} cannot be enforced by this Docker engine's storage driver ({Reason}); sandboxes get no disk quota")]
    private static partial void LogUnsupported(ILogger logger, int diskGb, string reason);
}
