using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;

namespace RemoltBlazor.Sandboxes.Docker.Build;

/// <summary>
/// Builds a missing or outdated sandbox image through the engine's API (the server image has no docker CLI), with
/// the same steps, build arguments, labels and content hashes as <c>container/build-images.sh</c>: the base from
/// <c>Dockerfile.base</c>, then the agent's image from <c>Dockerfile.agent</c> with the agent's <c>install</c>. One
/// build at a time on this server (the script takes a lock for the same reason); each step checks the hash again
/// first, so a build another launch just finished is not repeated. Builds get no session settings or secrets.
/// </summary>
internal sealed partial class DockerImageBuilder(
    DockerEngine engine,
    AgentCatalog agents,
    IConfiguration configuration,
    IOptions<SandboxImageOptions> options,
    ILogger<DockerImageBuilder> logger) : ISandboxImageBuilder, IDisposable
{
    private const string DefaultBaseImage = "remolt-sandbox";

    // The engine's builder adds one LABEL step per label given with the build (the base gets 2, an agent 3).
    private const int BaseLabelSteps = 2;
    private const int AgentLabelSteps = 3;

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public string RuntimeName => "docker";

    public Task<SandboxImagePlan?> PlanAsync(AgentDefinition agent, string image, CancellationToken cancellationToken) =>
        engine.RunAsync($"image inspect {image}", async client =>
        {
            var baseImage = configuration[AgentImages.SandboxImageKey] is { Length: > 0 } configured && configured.Trim().Length > 0
                ? configured.Trim()
                : DefaultBaseImage;
            var existingBase = await DockerBaseChoice.InspectAsync(client, baseImage, cancellationToken);
            var from = await DockerBaseChoice.ChooseAsync(client, options.Value.Base, existingBase, cancellationToken);
            var extraCa = options.Value.ExtraCaFile is { } caFile ? await File.ReadAllBytesAsync(caFile, cancellationToken) : [];
            var codeServer = DockerBaseChoice.CodeServerFor(from);
            var baseHash = SandboxBuildFiles.BaseHash(SandboxBuildFiles.BaseContext(extraCa), from, codeServer, DockerBuildPlan.CodeServerSource);
            var buildBase = Label(existingBase, SandboxBuildFiles.HashLabel) != baseHash;

            DockerAgentBuild? agentBuild = null;
            if (image != baseImage)
            {
                agentBuild = await ReadAgentAsync(agent, image, cancellationToken);
                if (!buildBase && existingBase is not null)
                {
                    var existing = await DockerBaseChoice.InspectAsync(client, image, cancellationToken);
                    if (Label(existing, SandboxBuildFiles.HashLabel) == agentBuild.Hash(existingBase.ID))
                    {
                        agentBuild = null;
                    }
                }
            }

            if (!buildBase && agentBuild is null)
            {
                return null;
            }

            var plan = new DockerBuildPlan(baseImage, from, codeServer, extraCa, baseHash, buildBase, agentBuild);
            var steps = (buildBase ? BaseSteps() : 0) + (agentBuild is null ? 0 : AgentSteps());
            var summary = (buildBase, agentBuild) switch
            {
                (true, null) => $"Building the sandbox base {baseImage} FROM {from}",
                (true, _) => $"Building the sandbox base {baseImage} FROM {from}, then {image} (agent {agent.Id})",
                _ => $"Building {image} (agent {agent.Id}) FROM {baseImage}",
            };
            return (SandboxImagePlan?)new SandboxImagePlan(image, agent.Id, steps, summary) { Details = plan };
        }, cancellationToken);

    public async Task BuildAsync(SandboxImagePlan plan, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        var details = plan.Details as DockerBuildPlan ?? throw new ArgumentException("Not a Docker build plan.", nameof(plan));
        var agentSteps = details.Agent is null ? 0 : AgentSteps();
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await engine.RunAsync($"image build {plan.Image}", async client =>
            {
                var baseSteps = 0;
                var existingBase = await DockerBaseChoice.InspectAsync(client, details.BaseImage, cancellationToken);
                if (details.BuildBase && Label(existingBase, SandboxBuildFiles.HashLabel) != details.BaseHash)
                {
                    baseSteps = BaseSteps();
                    await DockerBaseChoice.EnsurePresentAsync(client, details.From, reporter, cancellationToken);
                    await BuildOneAsync(client, details.BaseImage, "Dockerfile.base", SandboxBuildFiles.BaseContext(details.ExtraCa),
                        new Dictionary<string, string>
                        {
                            ["BASE_IMAGE"] = details.From,
                            ["CODE_SERVER_VERSION"] = details.CodeServer,
                            ["CODE_SERVER_SOURCE"] = DockerBuildPlan.CodeServerSource,
                        },
                        new Dictionary<string, string>
                        {
                            [SandboxBuildFiles.HashLabel] = details.BaseHash,
                            [SandboxBuildFiles.BaseImageLabel] = details.From,
                        },
                        new DockerBuildOutput(reporter, 0, agentSteps), existingBase?.ID, cancellationToken);
                    existingBase = await DockerBaseChoice.InspectAsync(client, details.BaseImage, cancellationToken);
                }

                if (details.Agent is not { } agent)
                {
                    return;
                }

                var baseId = existingBase?.ID ?? throw new ImageBuildException($"The sandbox base image {details.BaseImage} is missing after its build.");
                var hash = agent.Hash(baseId);
                var existing = await DockerBaseChoice.InspectAsync(client, agent.Image, cancellationToken);
                if (Label(existing, SandboxBuildFiles.HashLabel) == hash)
                {
                    return;
                }

                // The install command goes in as a build argument and is never printed (Dockerfile.agent does not echo it).
                await BuildOneAsync(client, agent.Image, SandboxBuildFiles.AgentDockerfile, SandboxBuildFiles.AgentContext(agent.InstallScript),
                    new Dictionary<string, string>
                    {
                        ["BASE_IMAGE"] = details.BaseImage,
                        ["AGENT_ID"] = agent.AgentId,
                        ["AGENT_INSTALL"] = agent.Install,
                    },
                    new Dictionary<string, string>
                    {
                        [SandboxBuildFiles.HashLabel] = hash,
                        [SandboxBuildFiles.AgentLabel] = agent.AgentId,
                        [SandboxBuildFiles.BaseImageLabel] = details.BaseImage,
                    },
                    new DockerBuildOutput(reporter, baseSteps, 0), existing?.ID, cancellationToken);
            }, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private static int BaseSteps() => SandboxBuildFiles.CountSteps(SandboxBuildFiles.Read("Dockerfile.base")) + BaseLabelSteps;

    private static int AgentSteps() => SandboxBuildFiles.CountSteps(SandboxBuildFiles.Read(SandboxBuildFiles.AgentDockerfile)) + AgentLabelSteps;

    private async Task BuildOneAsync(
        DockerClient client,
        string image,
        string dockerfile,
        IReadOnlyList<(string Name, byte[] Content)> context,
        Dictionary<string, string> buildArgs,
        Dictionary<string, string> labels,
        DockerBuildOutput output,
        string? previousId,
        CancellationToken cancellationToken)
    {
        LogStep(logger, image, dockerfile);
        using var tar = SandboxBuildFiles.Tar(context);
        var parameters = new ImageBuildParameters
        {
            Dockerfile = dockerfile,
            Tags = [image],
            BuildArgs = buildArgs,
            Labels = labels,
            // Intermediate containers go even when a step fails or the build is cancelled; the image is tagged only at the end.
            Remove = true,
            ForceRemove = true,
        };
        await client.Images.BuildImageFromDockerfileAsync(parameters, tar, null, null, output, cancellationToken);
        output.Flush();
        cancellationToken.ThrowIfCancellationRequested();
        if (output.Error is { } error)
        {
            var step = output.Step ?? dockerfile;
            var tail = output.StepOutput;
            var shown = tail.Count == 0 ? "" : $" Its output ended with:\n{string.Join('\n', tail.TakeLast(10))}";
            throw new ImageBuildException($"Building the sandbox image '{image}' failed at {step}: {error.Trim()}.{shown}", step, tail);
        }

        var built = await DockerBaseChoice.InspectAsync(client, image, cancellationToken)
            ?? throw new ImageBuildException($"The engine finished building '{image}' but has no such image.", output.Step);
        if (previousId is not null && previousId != built.ID)
        {
            await RemovePreviousAsync(client, image, previousId);
        }
    }

    /// <summary>The image this name used to point at, unless a container or another image still uses it (as the script does).</summary>
    private async Task RemovePreviousAsync(DockerClient client, string image, string previousId)
    {
        try
        {
            await client.Images.DeleteImageAsync(previousId, new ImageDeleteParameters(), CancellationToken.None);
        }
        catch (DockerApiException ex)
        {
            LogPreviousKept(logger, image, previousId, DockerEngine.EngineMessage(ex));
        }
    }

    /// <summary>agents/&lt;id&gt;/agent.json and install.sh as the script reads them (the hash covers their bytes).</summary>
    private async Task<DockerAgentBuild> ReadAgentAsync(AgentDefinition agent, string image, CancellationToken cancellationToken)
    {
        var folder = agents.Directory is { } directory ? Path.Combine(directory, agent.Id) : null;
        var file = folder is null ? null : Path.Combine(folder, "agent.json");
        if (file is null || !File.Exists(file))
        {
            throw new ImageBuildException(
                $"Cannot build {image}: the agent's definition is not at {file ?? $"<agents folder>/{agent.Id}/agent.json"} (set REMOLT_AGENTS_DIR).");
        }

        var install = Path.Combine(folder!, SandboxBuildFiles.InstallFile);
        return new DockerAgentBuild(image, agent.Id, agent.Install, await File.ReadAllBytesAsync(file, cancellationToken),
            File.Exists(install) ? await File.ReadAllBytesAsync(install, cancellationToken) : []);
    }

    private static string? Label(ImageInspectResponse? image, string key) =>
        image?.Config?.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "docker build {Image} from {Dockerfile}")]
    private static partial void LogStep(ILogger logger, string image, string dockerfile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept the previous image {PreviousId} of {Image}: {Reason}")]
    private static partial void LogPreviousKept(ILogger logger, string image, string previousId, string reason);
}
