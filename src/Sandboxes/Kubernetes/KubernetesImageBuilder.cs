using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Kubernetes builds nothing at launch: the nodes pull the sandbox image, so the cluster must be able to pull it (a
/// registry it reaches, with <c>container/build-images.sh</c>'s images pushed there). Said once per image in the log;
/// a pod whose image cannot be pulled fails its launch naming the image (KubernetesPodStartup).
/// </summary>
internal sealed partial class KubernetesImageBuilder(ILogger<KubernetesImageBuilder> logger) : ISandboxImageBuilder
{
    private readonly HashSet<string> _said = [];

    public string RuntimeName => "kubernetes";

    public Task<SandboxImagePlan?> PlanAsync(AgentDefinition agent, string image, CancellationToken cancellationToken)
    {
        lock (_said)
        {
            if (_said.Add(image))
            {
                LogNothingToBuild(logger, image, agent.Id);
            }
        }

        return Task.FromResult<SandboxImagePlan?>(null);
    }

    public Task BuildAsync(SandboxImagePlan plan, IImageBuildReporter reporter, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Kubernetes builds no sandbox images: the cluster must be able to pull them.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes builds no sandbox images: the cluster must be able to pull {Image} (agent {Agent})")]
    private static partial void LogNothingToBuild(ILogger logger, string image, string agent);
}
