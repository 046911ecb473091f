using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// One bridge network per session, each with an explicit /28 from <see cref="DockerOptions.SubnetPool"/>: the
/// engine's default address pools run out near 30 networks.
/// </summary>
internal sealed class DockerSessionNetworks : IDisposable
{
    public const string NetworkPrefix = "remolt-net-";

    private const int MaxSubnetAttempts = 64;

    private readonly DockerEngine _engine;
    private readonly IPNetwork _pool;
    private readonly string _poolText;
    private readonly ILogger _logger;

    // Serializes name checks and subnet picking inside this process; other users of the engine are handled by
    // retrying on overlap.
    private readonly SemaphoreSlim _createLock = new(1, 1);

    public DockerSessionNetworks(DockerEngine engine, DockerOptions options, ILogger logger)
    {
        _engine = engine;
        _poolText = options.SubnetPool;
        _pool = IPNetwork.Parse(options.SubnetPool);
        _logger = logger;
    }

    public static string NameFor(string sessionId) => NetworkPrefix + sessionId;

    /// <summary>Creates the session's network on the lowest free subnet of the pool and returns that subnet.</summary>
    /// <exception cref="SandboxRuntimeException">A network with this name exists, or the pool is full.</exception>
    public async Task<IPNetwork> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            var networks = await _engine.RunAsync("network list", client => client.Networks.ListNetworksAsync(null, cancellationToken), cancellationToken);
            // Engines before API 1.44 (20.10 is 1.41) create a second network of the same name unless the request
            // says CheckDuplicate, which Docker.DotNet no longer sends: the name is checked here instead.
            if (networks.Any(n => n.Name == name))
            {
                throw new SandboxRuntimeException($"Docker network {name} already exists.");
            }

            var attempts = 0;
            foreach (var subnet in DockerSubnetAllocator.FreeSubnets(_pool, DockerSubnetAllocator.UsedSubnets(networks)))
            {
                if (await TryCreateAsync(name, subnet, labels, ++attempts < MaxSubnetAttempts, cancellationToken))
                {
                    return subnet;
                }
            }

            throw new SandboxRuntimeException(
                $"No free /{DockerOptionsValidator.SessionPrefixLength} subnet is left in REMOLT_SANDBOX_SUBNET_POOL {_poolText} for network {name}.");
        }
        finally
        {
            _createLock.Release();
        }
    }

    /// <summary>Removes every managed network labelled with this session id.</summary>
    public async Task RemoveForSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var filter = new NetworksListParameters
        {
            Filters = DockerEngine.LabelFilter($"{SandboxLabels.Managed}=true", $"{SandboxLabels.SessionId}={sessionId}"),
        };
        var networks = await _engine.RunAsync("network list", client => client.Networks.ListNetworksAsync(filter, cancellationToken), cancellationToken);
        foreach (var network in networks)
        {
            await RemoveIfPresentAsync(network.ID, cancellationToken);
        }
    }

    public Task RemoveIfPresentAsync(string idOrName, CancellationToken cancellationToken) =>
        _engine.RunAsync($"network remove {idOrName}", async client =>
        {
            try
            {
                await client.Networks.DeleteNetworkAsync(idOrName, cancellationToken);
            }
            catch (DockerNetworkNotFoundException)
            {
                // Already gone: that is what was asked for.
            }
        }, cancellationToken);

    public void Dispose() => _createLock.Dispose();

    /// <returns>False when another process took this subnet after the list was read (and more attempts are left).</returns>
    private Task<bool> TryCreateAsync(
        string name, IPNetwork subnet, IReadOnlyDictionary<string, string> labels, bool mayRetry, CancellationToken cancellationToken) =>
        _engine.RunAsync($"network create {name}", async client =>
        {
            var parameters = new NetworksCreateParameters
            {
                Name = name,
                Driver = "bridge",
                IPAM = new IPAM
                {
                    Driver = "default",
                    Config = [new IPAMConfig { Subnet = subnet.ToString(), Gateway = DockerSubnetAllocator.Gateway(subnet).ToString() }],
                },
                Labels = labels.ToDictionary(),
            };
            try
            {
                await client.Networks.CreateNetworkAsync(parameters, cancellationToken);
                return true;
            }
            catch (DockerApiException ex) when (mayRetry && IsOverlap(ex))
            {
                _logger.LogDebug("Subnet {Subnet} for {Network} overlaps: {Message}", subnet, name, DockerEngine.EngineMessage(ex));
                return false;
            }
        }, cancellationToken);

    // Engine 20.10 answers 403 "Pool overlaps with other one on this address space"; newer ones use other codes.
    internal static bool IsOverlap(DockerApiException ex) =>
        ex.StatusCode != HttpStatusCode.Conflict && DockerEngine.EngineMessage(ex).Contains("overlap", StringComparison.OrdinalIgnoreCase);
}
