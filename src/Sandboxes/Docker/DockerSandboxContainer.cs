using Docker.DotNet.Models;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>The container a sandbox runs in: its create parameters, limits and keep-alive command.</summary>
internal static class DockerSandboxContainer
{
    /// <summary>
    /// All a sandbox keeps of Docker's default capabilities: what sudo, su, apt and dpkg need (users, ownership,
    /// modes, signals; AUDIT_WRITE because sudo prints a warning on every call without it). Gone: NET_RAW (raw
    /// sockets, ping, ARP spoofing on the bridge), MKNOD, SYS_CHROOT, SETFCAP, SETPCAP, NET_BIND_SERVICE. NET_ADMIN
    /// was never there, so root in the sandbox cannot change the network guard's rules.
    /// </summary>
    public static readonly IReadOnlyList<string> Capabilities = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID"];

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
                CapDrop = ["ALL"],
                CapAdd = [.. Capabilities],
                Sysctls = Sysctls(),
            },
        };
    }

    /// <summary>
    /// No IPv6 inside: the session networks are IPv4-only and the guard's rules are IPv4, but a link-local IPv6
    /// address would still reach the host's bridge. Only where the kernel has IPv6 (else the sysctl fails the start).
    /// </summary>
    private static Dictionary<string, string>? Sysctls() =>
        Directory.Exists("/proc/sys/net/ipv6")
            ? new() { ["net.ipv6.conf.all.disable_ipv6"] = "1", ["net.ipv6.conf.default.disable_ipv6"] = "1" }
            : null;
}
