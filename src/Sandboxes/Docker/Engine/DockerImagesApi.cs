namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>Image inspection: https://docs.docker.com/reference/api/engine/version/v1.43/#tag/Image</summary>
internal sealed class DockerImagesApi
{
    private readonly DockerEngineClient _client;

    public DockerImagesApi(DockerEngineClient client) => _client = client;

    /// <exception cref="DockerNotFoundException">No image has this name or id.</exception>
    public Task<DockerImageInspect> InspectAsync(string image, CancellationToken cancellationToken) =>
        _client.SendJsonAsync(
            HttpMethod.Get, $"images/{Uri.EscapeDataString(image)}/json", null,
            DockerJsonContext.Default.DockerImageInspect, $"image inspect {image}", cancellationToken);

    public async Task<bool> ExistsAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await InspectAsync(image, cancellationToken);
            return true;
        }
        catch (DockerNotFoundException)
        {
            return false;
        }
    }
}
