namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary><c>/_ping</c> and <c>/version</c>: https://docs.docker.com/reference/api/engine/version/v1.43/#tag/System</summary>
internal sealed class DockerSystemApi
{
    private readonly DockerEngineClient _client;

    public DockerSystemApi(DockerEngineClient client) => _client = client;

    /// <summary>Pings the engine and returns (the engine's newest API version, the version this client uses).</summary>
    public async Task<(Version Engine, Version Negotiated)> PingAsync(CancellationToken cancellationToken)
    {
        var engine = await _client.PingAsync(cancellationToken);
        var negotiated = await _client.GetApiVersionAsync(cancellationToken);
        return (engine, negotiated);
    }

    public Task<DockerVersionResponse> VersionAsync(CancellationToken cancellationToken) =>
        _client.SendJsonAsync(HttpMethod.Get, "version", null, DockerJsonContext.Default.DockerVersionResponse, "version", cancellationToken);
}
