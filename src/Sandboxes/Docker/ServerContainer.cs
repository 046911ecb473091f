namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Whether this server process itself runs in a container. Docker writes <c>/.dockerenv</c> into every container
/// (Podman <c>/run/.containerenv</c>); <see cref="DockerHostAddresses"/> also asks the engine, for images without them.
/// </summary>
public static class ServerContainer
{
    private static readonly string[] s_markers = ["/.dockerenv", "/run/.containerenv"];

    public static bool HasMarkerFile => s_markers.Any(File.Exists);
}
