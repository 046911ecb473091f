namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// The seam between session logic and the place a sandbox lives (Docker, Kubernetes, a local bubblewrap box).
/// Implementations translate their transport's failures into <see cref="SandboxRuntimeException"/>.
/// </summary>
public interface ISandboxRuntime
{
    /// <summary>Short name used in events and the health endpoint: "docker", "k8s", "local".</summary>
    string Name { get; }

    /// <summary>Whether the runtime answers right now; never throws.</summary>
    Task<RuntimeProbe> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Creates and starts a sandbox. On failure nothing it created is left behind.</summary>
    Task<SandboxHandle> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken);

    /// <summary>Removes the sandbox and everything created for it (its network). Missing sandboxes are not an error.</summary>
    Task RemoveAsync(string sandboxId, CancellationToken cancellationToken);

    /// <summary>Every sandbox carrying the <c>remolt.managed=true</c> label, running or not.</summary>
    Task<IReadOnlyList<SandboxInfo>> ListManagedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Attaches a TTY to tmux session <c>main</c> (window 0) or <c>main-N</c>, creating it if needed
    /// (<c>tmux new-session -A</c>). Disposing the stream detaches that tmux client; tmux keeps running.
    /// </summary>
    Task<TerminalStream> AttachTerminalAsync(string sandboxId, TerminalAttachOptions options, CancellationToken cancellationToken);

    /// <summary>Runs a command without a TTY, optionally feeding <paramref name="stdin"/>, and collects its output (bounded).</summary>
    Task<ExecResult> ExecAsync(string sandboxId, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken);
}
