using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// What a sandbox must not reach besides this process's own addresses, when this process runs in a container: its
/// interfaces are then the server container's, not the Docker host's, and a sandbox could still reach the host's
/// LAN or public address (where the server's port is published) and every host service bound to 0.0.0.0. So it
/// learns the host's addresses once, from a short-lived helper container on the host's network namespace, and adds
/// the whole subnets of the server container's own networks (the compose network's other services). On a host
/// (no container) it adds nothing: <see cref="DockerNetworkGuard"/> already blocks every address of this machine.
/// </summary>
internal sealed partial class DockerHostAddresses(DockerEngine engine, ILogger logger) : IDisposable
{
    public const string HelperRole = "host-addresses";

    private static readonly TimeSpan s_helperTimeout = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<IPNetwork>? _learned;

    /// <summary>
    /// The networks to block because the server runs in a container (empty otherwise), learned once per process; a
    /// failure is thrown (a sandbox is not started half guarded) and the next call tries again.
    /// </summary>
    public async Task<IReadOnlyList<IPNetwork>> GetAsync(string helperImage, IDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        if (_learned is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_learned is null)
            {
                var learned = await LearnAsync(helperImage, labels, cancellationToken);
                _learned = learned;
                if (learned.Count > 0)
                {
                    LogLearned(logger, string.Join(", ", learned));
                }
            }

            return _learned;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<IPNetwork>> LearnAsync(string helperImage, IDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        if (!await InContainerAsync(cancellationToken))
        {
            return [];
        }

        return NetworksToAdd(OwnInterfaces(), await ReadHostFibTrieAsync(helperImage, labels, cancellationToken));
    }

    /// <summary>
    /// The Docker host's addresses and the whole subnets of this container's own networks; nothing when every own
    /// address is one of the host's: then this container shares the engine host's network namespace (<c>--network
    /// host</c>, or an engine running inside this same container), the guard's own-address rules already cover the
    /// host, and the subnets are the host's LAN, which a server on a host does not block either.
    /// </summary>
    internal static IReadOnlyList<IPNetwork> NetworksToAdd(IReadOnlyList<(IPAddress Address, int PrefixLength)> own, IReadOnlyList<IPAddress> host)
    {
        if (own.All(o => host.Contains(o.Address)))
        {
            return [];
        }

        return [.. own.Select(o => new IPNetwork(Masked(o.Address, o.PrefixLength), o.PrefixLength))
            .Concat(host.Select(a => new IPNetwork(a, 32)))
            .Distinct()];
    }

    /// <summary>The marker file, or else the engine knowing this host name as a container whose id it starts.</summary>
    private async Task<bool> InContainerAsync(CancellationToken cancellationToken)
    {
        if (ServerContainer.HasMarkerFile)
        {
            return true;
        }

        var hostname = Environment.MachineName;
        return await engine.RunAsync("inspect own container", async client =>
        {
            try
            {
                var self = await client.Containers.InspectContainerAsync(hostname, cancellationToken);
                return self.ID.StartsWith(hostname, StringComparison.OrdinalIgnoreCase);
            }
            catch (global::Docker.DotNet.DockerContainerNotFoundException)
            {
                return false;
            }
        }, cancellationToken);
    }

    /// <summary>This container's IPv4 addresses with their prefixes: its networks' gateways are host addresses and its peers are not for sandboxes.</summary>
    private static List<(IPAddress Address, int PrefixLength)> OwnInterfaces() =>
        [.. NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Where(u => u.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(u.Address))
            .Select(u => (u.Address, u.PrefixLength))];

    private static IPAddress Masked(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefixLength; bit < 32; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    private async Task<IReadOnlyList<IPAddress>> ReadHostFibTrieAsync(string image, IDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var name = $"remolt-host-addresses-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
        var helperLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [DockerNetworkGuard.RoleLabel] = HelperRole };
        if (labels.TryGetValue(SandboxLabels.Instance, out var instance))
        {
            helperLabels[SandboxLabels.Instance] = instance;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_helperTimeout);
        try
        {
            return await engine.RunAsync("read the Docker host's addresses", async client =>
            {
                await client.Containers.CreateContainerAsync(new CreateContainerParameters
                {
                    Name = name,
                    Image = image,
                    Entrypoint = ["cat"],
                    Cmd = ["/proc/net/fib_trie"],
                    Labels = helperLabels,
                    HostConfig = new HostConfig { NetworkMode = "host", CapDrop = ["ALL"], Memory = 32L * 1024 * 1024, PidsLimit = 8 },
                }, timeout.Token);
                await client.Containers.StartContainerAsync(name, new ContainerStartParameters(), timeout.Token);
                var exit = await client.Containers.WaitContainerAsync(name, timeout.Token);
                using var logs = await client.Containers.GetContainerLogsAsync(name, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, timeout.Token);
                var (stdout, stderr) = await logs.ReadOutputToEndAsync(timeout.Token);
                var addresses = FibTrie.LocalAddresses(stdout);
                if (exit.StatusCode != 0 || addresses.Count == 0)
                {
                    throw new SandboxRuntimeException(
                        $"The server runs in a container and could not learn the Docker host's addresses to keep sandboxes away from them " +
                        $"(exit {exit.StatusCode}): {stderr.Trim()}");
                }

                return addresses;
            }, timeout.Token);
        }
        finally
        {
            await RemoveAsync(name);
        }
    }

    private async Task RemoveAsync(string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await engine.RunAsync($"container remove {name}", async client =>
        {
            try
            {
                await client.Containers.RemoveContainerAsync(name, new ContainerRemoveParameters { Force = true }, timeout.Token);
            }
            catch (global::Docker.DotNet.DockerContainerNotFoundException)
            {
                // Never created.
            }
        }, timeout.Token);
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "The server runs in a container: sandboxes are also kept from {Networks}")]
    private static partial void LogLearned(ILogger logger, string networks);
}
