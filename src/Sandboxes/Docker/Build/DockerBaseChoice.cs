using Docker.DotNet;
using Docker.DotNet.Models;
using RemoltBlazor.Sandboxes.Images;

namespace RemoltBlazor.Sandboxes.Docker.Build;

/// <summary>
/// Which image the sandbox base is built FROM, as <c>container/build-images.sh</c> chooses it: <c>ubuntu:24.04</c>
/// normally, the debootstrap'd <c>remolt-test-base:bookworm</c> (<c>--test-base</c>) where Docker Hub is out of reach.
/// The server has no flags to read, so it takes, in order: <c>REMOLT_BUILD_BASE</c>; the base the existing sandbox
/// image was built from (its <c>remolt.base-image</c> label) if that image is here; <c>ubuntu:24.04</c> if here; the
/// test base if here; else <c>ubuntu:24.04</c>, pulled at build time. The code-server choice follows the script too:
/// none on the test base (GitHub is not reachable there), else the script's default release.
/// </summary>
internal static class DockerBaseChoice
{
    public const string DefaultFrom = "ubuntu:24.04";
    public const string TestBase = "remolt-test-base:bookworm";

    /// <summary>build-images.sh's <c>default_code_server</c>.</summary>
    public const string DefaultCodeServer = "4.139.1";

    public static async Task<string> ChooseAsync(DockerClient client, string? configured, ImageInspectResponse? existingBase, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        if (existingBase?.Config?.Labels is { } labels && labels.TryGetValue(SandboxBuildFiles.BaseImageLabel, out var builtFrom)
            && builtFrom.Length > 0 && await ExistsAsync(client, builtFrom, cancellationToken))
        {
            return builtFrom;
        }

        if (await ExistsAsync(client, DefaultFrom, cancellationToken))
        {
            return DefaultFrom;
        }

        return await ExistsAsync(client, TestBase, cancellationToken) ? TestBase : DefaultFrom;
    }

    public static string CodeServerFor(string from) => from == TestBase ? "" : DefaultCodeServer;

    /// <summary>Pulls <paramref name="from"/> when it is not here; says exactly what to run when it cannot be had.</summary>
    public static async Task EnsurePresentAsync(DockerClient client, string from, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(client, from, cancellationToken))
        {
            return;
        }

        reporter.BeginStep(0, $"Pulling {from}");
        string? error = null;
        try
        {
            var progress = new DockerBuildOutput(reporter, 0, 0);
            await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = from }, null, progress, cancellationToken);
            error = progress.Error;
        }
        catch (DockerApiException ex)
        {
            error = DockerEngine.EngineMessage(ex);
        }

        if (error is not null || !await ExistsAsync(client, from, cancellationToken))
        {
            throw new ImageBuildException(Unavailable(from, error ?? "the pull ended without the image"), $"Pulling {from}");
        }
    }

    public static string Unavailable(string from, string reason) =>
        $"The sandbox base image cannot be built: the image it starts FROM, {from}, is not in the Docker engine and cannot be pulled " +
        $"({reason.Trim().TrimEnd('.')}). Run `docker pull {from}` where its registry is reachable, or make a local base without a registry " +
        $"with `container/build-images.sh --test-base` (debootstrap; it makes {TestBase}), or set REMOLT_BUILD_BASE to an image the engine has; then launch again.";

    public static async Task<ImageInspectResponse?> InspectAsync(DockerClient client, string image, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Images.InspectImageAsync(image, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    private static async Task<bool> ExistsAsync(DockerClient client, string image, CancellationToken cancellationToken) =>
        await InspectAsync(client, image, cancellationToken) is not null;
}
