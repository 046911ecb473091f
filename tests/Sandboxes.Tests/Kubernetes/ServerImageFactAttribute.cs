using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// A fact that runs the server image (<c>remolt-server</c>, built by <c>container/build-server-image.sh</c>; .ci/run
/// builds it before the tests) the way k8s/base/deployment.yaml runs it, and so needs kubectl, Docker and that image.
/// Skips without them, except in CI (<c>CI=true</c>), where it fails instead.
/// </summary>
public sealed class ServerImageFactAttribute : FactAttribute
{
    public const string Image = "remolt-server";

    public ServerImageFactAttribute()
    {
        if (TestEnvironment.IsCi)
        {
            return;
        }

        Skip = TestEnvironment.DockerSkipReason
            ?? (KubectlFactAttribute.Available ? null : "kubectl is not on PATH: apt-get install -y kubernetes-client.")
            ?? (ImageExists() ? null : $"The image {Image} is missing: container/build-server-image.sh --local-bases builds it.");
    }

    private static bool ImageExists()
    {
        try
        {
            return DockerCli.ExecuteAsync(["image", "inspect", "--format", "{{.Id}}", Image], TimeSpan.FromSeconds(20)).GetAwaiter().GetResult().ExitCode == 0;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
