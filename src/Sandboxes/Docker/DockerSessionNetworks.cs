using System.Net;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Docker.Engine;
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

    private readonly DockerEngineClient _client;
    private readonly IPNetwork _pool;
    private readonly string _poolText;
    private readonly ILogger _logger;

    // Serializes subnet picking inside this process; other users of the engine are handled by retrying on overlap.
    private readonly SemaphoreSlim _createLock = new(1, 1);

    public DockerSessionNetworks(DockerEngineClient client, DockerOptions options, ILogger logger)
    {
        _client = client;
        _poolText = options.SubnetPool;
        _pool = IPNetwork.Parse(options.SubnetPool);
        _logger = logger;
    }

    public static string NameFor(string sessionId) => NetworkPrefix + sessionId;

    /// <summary>Creates the session's network on the lowest free subnet of the pool and returns that subnet.</summary>
    /// <exception cref="DockerConflictException">A network with this name exists.</exception>
    public async Task<IPNetwork> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            var used = DockerSubnetAllocator.UsedSubnets(await _client.Networks.ListAsync(cancellationToken));
            var attempts = 0;
            foreach (var subnet in DockerSubnetAllocator.FreeSubnets(_pool, used))
            {
                try
                {
                    await _client.Networks.CreateAsync(
                        name, subnet.ToString(), DockerSubnetAllocator.Gateway(subnet).ToString(), labels, cancellationToken);
                    return subnet;
                }
                catch (DockerApiException ex) when (IsOverlap(ex) && ++attempts < MaxSubnetAttempts)
                {
                    // Another process took this subnet after the list was read: try the next one.
                    _logger.LogDebug("Subnet {Subnet} for {Network} overlaps: {Message}", subnet, name, ex.EngineMessage);
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
        var networks = await _client.Networks.ListByLabelAsync(
            [$"{SandboxLabels.Managed}=true", $"{SandboxLabels.SessionId}={sessionId}"], cancellationToken);
        foreach (var network in networks)
        {
            await RemoveIfPresentAsync(network.Id, cancellationToken);
        }
    }

    public async Task RemoveIfPresentAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Networks.RemoveAsync(idOrName, cancellationToken);
        }
        catch (DockerNotFoundException)
        {
            // Already gone: that is what was asked for.
        }
    }

    public void Dispose() => _createLock.Dispose();

    // Engine 20.10 answers 403 "Pool overlaps with other one on this address space"; newer ones use other codes.
    private static bool IsOverlap(DockerApiException ex) =>
        ex is not DockerConflictException && ex.EngineMessage.Contains("overlap", StringComparison.OrdinalIgnoreCase);
}
