namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>Containers: https://docs.docker.com/reference/api/engine/version/v1.43/#tag/Container</summary>
internal sealed class DockerContainersApi
{
    private readonly DockerEngineClient _client;

    public DockerContainersApi(DockerEngineClient client) => _client = client;

    /// <summary>Creates (does not start) a container; returns its id.</summary>
    /// <exception cref="DockerNotFoundException">The image does not exist (nothing is pulled).</exception>
    /// <exception cref="DockerConflictException">The name is taken.</exception>
    public async Task<string> CreateAsync(string name, DockerContainerCreateRequest request, CancellationToken cancellationToken)
    {
        var created = await _client.SendJsonAsync(
            HttpMethod.Post, $"containers/create?name={Uri.EscapeDataString(name)}",
            DockerEngineClient.JsonBody(request, DockerJsonContext.Default.DockerContainerCreateRequest),
            DockerJsonContext.Default.DockerIdResponse, $"container create {name}", cancellationToken);
        return created.Id;
    }

    /// <summary>Starts a container; one that already runs is fine (the engine answers 304).</summary>
    public Task StartAsync(string idOrName, CancellationToken cancellationToken) =>
        _client.SendWithoutResultAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(idOrName)}/start", null, $"container start {idOrName}", cancellationToken);

    /// <exception cref="DockerNotFoundException">No such container.</exception>
    public Task<DockerContainerInspect> InspectAsync(string idOrName, CancellationToken cancellationToken) =>
        _client.SendJsonAsync(
            HttpMethod.Get, $"containers/{Uri.EscapeDataString(idOrName)}/json", null,
            DockerJsonContext.Default.DockerContainerInspect, $"container inspect {idOrName}", cancellationToken);

    /// <summary>Kills and removes a container with its anonymous volumes.</summary>
    /// <exception cref="DockerNotFoundException">No such container.</exception>
    public Task RemoveForceAsync(string idOrName, CancellationToken cancellationToken) =>
        _client.SendWithoutResultAsync(
            HttpMethod.Delete, $"containers/{Uri.EscapeDataString(idOrName)}?force=true&v=true", null, $"container remove {idOrName}", cancellationToken);

    /// <summary>Every container, running or not, carrying all the given labels.</summary>
    public Task<IReadOnlyList<DockerContainerSummary>> ListAllByLabelAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken) =>
        _client.SendJsonAsync(
            HttpMethod.Get, $"containers/json?all=true&filters={DockerEngineClient.LabelFilter([.. labels])}", null,
            DockerJsonContext.Default.IReadOnlyListDockerContainerSummary, "container list", cancellationToken);
}
