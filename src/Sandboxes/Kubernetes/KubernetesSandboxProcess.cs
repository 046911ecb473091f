using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>A streaming non-TTY exec in a pod (<see cref="KubernetesRuntime.StartProcessAsync"/>).</summary>
internal sealed class KubernetesSandboxProcess(KubernetesExecStream stream) : SandboxProcess
{
    public override Stream Output => stream;

    public override ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        stream.WriteAsync(data, cancellationToken);

    /// <exception cref="SandboxRuntimeException">The cluster speaks exec v4 only (API older than 1.30): no EOF can be sent.</exception>
    public override ValueTask CompleteInputAsync(CancellationToken cancellationToken) => stream.Channel.CloseStdinAsync(cancellationToken);

    public override async Task<SandboxProcessExit> WaitForExitAsync(CancellationToken cancellationToken)
    {
        var code = await stream.ExitCodeAsync(cancellationToken);
        return new SandboxProcessExit(code, stream.Stderr);
    }

    public override ValueTask DisposeAsync() => stream.DisposeAsync();
}
