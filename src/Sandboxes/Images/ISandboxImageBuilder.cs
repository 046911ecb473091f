using RemoltBlazor.Sandboxes.Agents;

namespace RemoltBlazor.Sandboxes.Images;

/// <summary>
/// What one runtime must do before an agent's sandbox can start: Docker builds a missing or outdated image;
/// Kubernetes builds nothing (its nodes pull). Chosen by <see cref="RuntimeName"/> matching the runtime in use.
/// </summary>
public interface ISandboxImageBuilder
{
    /// <summary>The <c>ISandboxRuntime.Name</c> this builder serves.</summary>
    string RuntimeName { get; }

    /// <summary>Null when the sandbox of <paramref name="agent"/> (image <paramref name="image"/>) can start now; else what to build.</summary>
    Task<SandboxImagePlan?> PlanAsync(AgentDefinition agent, string image, CancellationToken cancellationToken);

    /// <summary>Builds what the plan says, reporting steps and output lines; throws <see cref="ImageBuildException"/> when a step fails.</summary>
    Task BuildAsync(SandboxImagePlan plan, IImageBuildReporter reporter, CancellationToken cancellationToken);
}

/// <summary>What a build will do: the image it makes (the single-flight key), its steps in order, and the runtime's own details.</summary>
/// <param name="Steps">How many steps the whole build has, as far as known before it starts (the reporter may correct it).</param>
public sealed record SandboxImagePlan(string Image, string AgentId, int Steps, string Summary)
{
    /// <summary>The runtime's own plan (for Docker: which images, which hashes); opaque to everything else.</summary>
    public object? Details { get; init; }
}

/// <summary>Where a builder reports progress; calls never block.</summary>
public interface IImageBuildReporter
{
    /// <summary>The build's total step count, when it turns out different from the plan's.</summary>
    void SetTotal(int steps);

    /// <summary>Step <paramref name="index"/> (0-based over the whole build) begins; the earlier ones are done.</summary>
    void BeginStep(int index, string text);

    /// <summary>One line of the current step's output.</summary>
    void Line(string line);
}
