namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>Networks: https://docs.docker.com/reference/api/engine/version/v1.43/#tag/Network</summary>
internal sealed class DockerNetworksApi
{
    private const string BridgeDriver = "bridge";
    private readonly DockerEngineClient _client;

    public DockerNetworksApi(DockerEngineClient client) => _client = client;

    /// <summary>Creates a bridge network with an explicit subnet and gateway; returns its id.</summary>
    /// <exception cref="DockerConflictException">The name is taken.</exception>
    /// <exception cref="DockerApiException">403 "Pool overlaps" when the subnet collides with another network.</exception>
    public async Task<string> CreateAsync(
        string name, string subnet, string gateway, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var request = new DockerNetworkCreateRequest(
            name, BridgeDriver, CheckDuplicate: true, new DockerIpam("default", [new DockerIpamConfig(subnet, gateway)]), labels);
        var created = await _client.SendJsonAsync(
            HttpMethod.Post, "networks/create", DockerEngineClient.JsonBody(request, DockerJsonContext.Default.DockerNetworkCreateRequest),
            DockerJsonContext.Default.DockerIdResponse, $"network create {name}", cancellationToken);
        return created.Id;
    }

    /// <exception cref="DockerNotFoundException">No such network.</exception>
    public Task RemoveAsync(string idOrName, CancellationToken cancellationToken) =>
        _client.SendWithoutResultAsync(HttpMethod.Delete, $"networks/{Uri.EscapeDataString(idOrName)}", null, $"network remove {idOrName}", cancellationToken);

    /// <summary>All networks, with their IPAM configuration (used to find a free subnet).</summary>
    public Task<IReadOnlyList<DockerNetworkSummary>> ListAsync(CancellationToken cancellationToken) =>
        _client.SendJsonAsync(HttpMethod.Get, "networks", null, DockerJsonContext.Default.IReadOnlyListDockerNetworkSummary, "network list", cancellationToken);

    /// <summary>Networks carrying every given label (<c>key=value</c> or <c>key</c>).</summary>
    public Task<IReadOnlyList<DockerNetworkSummary>> ListByLabelAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken) =>
        _client.SendJsonAsync(
            HttpMethod.Get, $"networks?filters={DockerEngineClient.LabelFilter([.. labels])}", null,
            DockerJsonContext.Default.IReadOnlyListDockerNetworkSummary, "network list", cancellationToken);
}
