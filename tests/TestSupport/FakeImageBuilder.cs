using System.Collections.Concurrent;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;

namespace RemoltBlazor.TestSupport;

/// <summary>
/// An image builder for <see cref="FakeSandboxRuntime"/>: every image needs a build until one finished; a build
/// reports two steps and a few lines, then waits for <see cref="Release"/> (or its cancellation) and fails with
/// <see cref="Failure"/> when set.
/// </summary>
public sealed class FakeImageBuilder : ISandboxImageBuilder
{
    private readonly ConcurrentDictionary<string, bool> _ready = new(StringComparer.Ordinal);
    private int _builds;
    private int _cancelled;

    public string RuntimeName => "fake";

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ImageBuildException? Failure { get; set; }

    public int Builds => Volatile.Read(ref _builds);

    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Set when a build is waiting for <see cref="Release"/>.</summary>
    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<SandboxImagePlan?> PlanAsync(AgentDefinition agent, string image, CancellationToken cancellationToken) =>
        Task.FromResult(_ready.ContainsKey(image) ? null : new SandboxImagePlan(image, agent.Id, 3, $"Building {image}"));

    public async Task BuildAsync(SandboxImagePlan plan, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _builds);
        reporter.BeginStep(0, "FROM remolt-sandbox");
        reporter.Line("hello from the build");
        reporter.BeginStep(1, "RUN install");
        reporter.Line("about to wait");
        Waiting.TrySetResult();
        try
        {
            await Release.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        reporter.BeginStep(2, "LABEL done");
        _ready[plan.Image] = true;
    }
}
