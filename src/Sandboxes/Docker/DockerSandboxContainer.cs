using Docker.DotNet.Models;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>The container a sandbox runs in: its create parameters, limits and keep-alive command.</summary>
internal static class DockerSandboxContainer
{
    public static CreateContainerParameters Parameters(
        SandboxSpec spec, DockerOptions options, string containerName, string networkName, IDictionary<string, string> labels)
    {
        var memory = options.MemoryMb * 1024L * 1024L;
        return new CreateContainerParameters
        {
            Name = containerName,
            Image = spec.Image,
            User = DockerRuntime.SandboxUser,
            Env = [.. spec.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")],
            // An explicit keep-alive command: the image's default might be a shell that exits without a TTY.
            Cmd = ["sleep", "infinity"],
            Labels = labels,
            HostConfig = new HostConfig
            {
                // Without an init, PID 1 sleep ignores SIGTERM and every stop waits the full timeout.
                Init = true,
                NetworkMode = networkName,
                Memory = memory,
                // Equal to Memory: no swap on top, so the memory limit is the real bound.
                MemorySwap = memory,
                NanoCPUs = (long)Math.Round(options.Cpus * 1_000_000_000),
                PidsLimit = options.PidsLimit,
                SecurityOpt = options.NoNewPrivileges ? ["no-new-privileges"] : null!,
            },
        };
    }
}
