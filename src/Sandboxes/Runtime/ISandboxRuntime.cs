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

    /// <summary>
    /// The sandbox now serves this session (a claimed warm sandbox): records session, owner and agent on it where the
    /// runtime can, so a restart after the claim adopts it by its labels. Docker's labels are fixed at create, so it
    /// records nothing there and the warm-pool table stays the record.
    /// </summary>
    Task AssignAsync(string sandboxId, SandboxSpec spec, CancellationToken cancellationToken);

    /// <summary>Every sandbox carrying the <c>remolt.managed=true</c> label, running or not.</summary>
    Task<IReadOnlyList<SandboxInfo>> ListManagedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Attaches a TTY to tmux session <c>main</c> (window 0) or <c>main-N</c>, creating it if needed
    /// (<c>tmux new-session -A</c>). Disposing the stream detaches that tmux client; tmux keeps running.
    /// </summary>
    Task<TerminalStream> AttachTerminalAsync(string sandboxId, TerminalAttachOptions options, CancellationToken cancellationToken);

    /// <summary>Runs a command without a TTY, optionally feeding <paramref name="stdin"/>, and collects its output (bounded).</summary>
    Task<ExecResult> ExecAsync(string sandboxId, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a command without a TTY as user <c>dev</c>, streaming its stdin and stdout (workspace transfer, logs).
    /// </summary>
    Task<SandboxProcess> StartProcessAsync(string sandboxId, IReadOnlyList<string> command, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a TCP connection to <c>127.0.0.1:port</c> inside the sandbox through the runtime itself (not the
    /// network), so services bound to the sandbox's loopback (code-server, a dev server) are reachable by the server
    /// and by nobody else. Disposing the stream closes the connection.
    /// </summary>
    /// <exception cref="SandboxPortClosedException">Nothing listens on that port.</exception>
    Task<Stream> ConnectAsync(string sandboxId, int port, CancellationToken cancellationToken);

    /// <summary>
    /// One reading of the sandbox's CPU, memory and network counters (the admin page's usage columns); null when the
    /// sandbox does not exist or is not running. Cheap enough to call every few seconds per sandbox.
    /// </summary>
    Task<SandboxStats?> GetStatsAsync(string sandboxId, CancellationToken cancellationToken);
}
