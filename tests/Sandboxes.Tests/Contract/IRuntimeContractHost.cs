using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>
/// What the shared runtime contract tests (<see cref="SandboxRuntimeContractTests{THost}"/>) need from one runtime:
/// the runtime, ready, and a few independent witnesses of the place sandboxes live (the docker CLI, the fake API
/// server's store) that the runtime's own API cannot be trusted to give. One host serves one test class (a class
/// fixture). Keep this small and stable: new members get default implementations, so every host keeps compiling.
/// </summary>
public interface IRuntimeContractHost : IAsyncLifetime
{
    /// <summary>
    /// Why the contract cannot run here (null: it runs), in the style of <c>DockerFact</c>: with <c>CI=true</c> this
    /// must be null, so a missing engine makes the tests fail instead of skipping. Read at discovery, before any host exists.
    /// </summary>
    static abstract string? SkipReason { get; }

    /// <summary>The runtime under test, ready after <see cref="IAsyncLifetime.InitializeAsync"/>.</summary>
    ISandboxRuntime Runtime { get; }

    /// <summary>An image the runtime can start: the sandbox test image (<c>SandboxImage.EnsureBuiltAsync</c>).</summary>
    string SandboxImage { get; }

    /// <summary>
    /// The instance id the tests put on every spec. <see cref="IAsyncLifetime.DisposeAsync"/> removes everything the
    /// runtime made under it, in whatever state the tests left it, without trusting the runtime's own RemoveAsync.
    /// </summary>
    string InstanceId { get; }

    /// <summary>How long one runtime call may take before a test fails (pods start slower than containers).</summary>
    TimeSpan Timeout => TimeSpan.FromSeconds(60);

    /// <summary>The memory limit the runtime gives sandboxes (its settings), when the host knows it; null: any limit.</summary>
    long? MemoryLimitBytes => null;

    /// <summary>Whether sandboxes start from images (Docker, Kubernetes); the local runtime has none to miss.</summary>
    bool HasImages => true;

    /// <summary>
    /// Makes the sandbox not running without removing it, behind the runtime's back: Docker stops the container,
    /// Kubernetes marks the pod Failed (in the fake). Returns when the runtime would see it stopped.
    /// </summary>
    Task StopSandboxAsync(string sandboxId);

    /// <summary>
    /// Whether anything the runtime created for session <paramref name="sessionId"/> is still there, running or not:
    /// Docker containers and networks with its label; Kubernetes pods and PVCs with its annotation. Keyed by session,
    /// not sandbox id, because a failed or cancelled create hands out no sandbox id to look for.
    /// </summary>
    Task<bool> ExistsAsync(string sessionId);
}
