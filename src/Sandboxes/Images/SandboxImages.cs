using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Images;

/// <summary>
/// The launch's question "is the sandbox for this agent ready?", and its answer when it is not: one build per image at
/// a time (single-flight), joined by every launch that needs the same image, cancelled when nobody waits any more.
/// Runtime-neutral: the runtime in use supplies the <see cref="ISandboxImageBuilder"/>; with none (or with
/// <c>REMOLT_BUILD_IMAGES=false</c>) nothing is built and the runtime reports a missing image itself.
/// </summary>
public sealed partial class SandboxImages(
    ISandboxRuntime runtime,
    IEnumerable<ISandboxImageBuilder> builders,
    IOptions<SandboxImageOptions> options,
    EventLog events,
    TimeProvider timeProvider,
    ILogger<SandboxImages> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ImageBuild> _running = new(StringComparer.Ordinal);
    private readonly ISandboxImageBuilder? _builder = options.Value.BuildImages ? builders.FirstOrDefault(b => b.RuntimeName == runtime.Name) : null;

    /// <summary>Whether launches build what is missing (<c>REMOLT_BUILD_IMAGES</c>, and a runtime that builds).</summary>
    public bool Enabled => _builder is not null;

    /// <summary>The build running for an image, if any.</summary>
    public ImageBuild? Find(string image)
    {
        lock (_gate)
        {
            return _running.GetValueOrDefault(image);
        }
    }

    /// <summary>
    /// Null when the agent's sandbox (image <paramref name="image"/>) can start now; else the build that makes it ready,
    /// started now or already running. The caller waits with <see cref="ImageBuild.WaitAsync"/>.
    /// </summary>
    /// <param name="requestedBy">Who launched (recorded in the build's events).</param>
    public async Task<ImageBuild?> PrepareAsync(AgentDefinition agent, string image, string requestedBy, CancellationToken cancellationToken)
    {
        if (_builder is not { } builder)
        {
            return null;
        }

        if (Find(image) is { } running)
        {
            return running;
        }

        var plan = await builder.PlanAsync(agent, image, cancellationToken);
        if (plan is null)
        {
            return null;
        }

        ImageBuild build;
        lock (_gate)
        {
            // Another launch may have planned the same build meanwhile: join it.
            if (_running.TryGetValue(image, out var joined))
            {
                return joined;
            }

            build = new ImageBuild(plan, requestedBy);
            _running[image] = build;
        }

        build.Running = RunAsync(builder, build);
        return build;
    }

    /// <summary>Prepares the agent's sandbox and waits until it is ready (the API's launch, which shows no progress).</summary>
    public async Task EnsureReadyAsync(AgentDefinition agent, string image, string requestedBy, CancellationToken cancellationToken)
    {
        if (await PrepareAsync(agent, image, requestedBy, cancellationToken) is { } build)
        {
            await build.WaitAsync(cancellationToken);
        }
    }

    private async Task RunAsync(ISandboxImageBuilder builder, ImageBuild build)
    {
        // The launch that started the build returns with it at once and waits like every other launch.
        await Task.Yield();
        var started = timeProvider.GetTimestamp();
        LogBuilding(logger, build.Image, build.Plan.AgentId, build.StartedBy, build.Plan.Summary);
        await EmitAsync("image.build_started", ("image", build.Image), ("agent", build.Plan.AgentId), ("user", build.StartedBy));
        ImageBuildException? failure = null;
        try
        {
            await builder.BuildAsync(build.Plan, build, build.CancellationToken);
        }
        catch (OperationCanceledException) when (build.CancellationToken.IsCancellationRequested)
        {
            failure = new ImageBuildCancelledException(build.Image);
        }
        catch (ImageBuildException ex)
        {
            failure = ex;
        }
        catch (Exception ex)
        {
            failure = new ImageBuildException(
                $"Building the sandbox image '{build.Image}' failed: {ex.Message.TrimEnd('.', ' ')}.", build.Progress.CurrentStep, build.StepOutput(), ex);
        }

        // Forgotten before the waiters hear the outcome, so a launch retried right after a failure builds again.
        lock (_gate)
        {
            _running.Remove(build.Image);
        }

        var seconds = (long)Math.Round(timeProvider.GetElapsedTime(started).TotalSeconds);
        if (failure is null)
        {
            build.Succeed();
            build.Dispose();
            LogBuilt(logger, build.Image, seconds);
            await EmitAsync("image.build_finished", ("image", build.Image), ("agent", build.Plan.AgentId), ("duration_s", seconds));
            return;
        }

        build.Fail(failure);
        build.Dispose();
        LogBuildFailed(logger, build.Image, failure.Message);
        await EmitAsync(failure is ImageBuildCancelledException ? "image.build_cancelled" : "image.build_failed",
            ("image", build.Image), ("agent", build.Plan.AgentId), ("duration_s", seconds), ("step", failure.Step), ("error", failure.Message));
    }

    private async Task EmitAsync(string name, params (string Key, object? Value)[] fields)
    {
        try
        {
            await events.EmitAsync(name, EventFields.Of(fields), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The build's outcome matters more than its record; the log still has it.
            LogEventFailed(logger, name, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Building sandbox image {Image} for agent {Agent} (launched by {User}): {Summary}")]
    private static partial void LogBuilding(ILogger logger, string image, string agent, string user, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built sandbox image {Image} in {Seconds} s")]
    private static partial void LogBuilt(ILogger logger, string image, long seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Building sandbox image {Image} failed: {Error}")]
    private static partial void LogBuildFailed(ILogger logger, string image, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the image build event {Event} failed")]
    private static partial void LogEventFailed(ILogger logger, string @event, Exception exception);
}
