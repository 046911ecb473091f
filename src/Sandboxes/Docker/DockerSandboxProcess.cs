using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>A streaming non-TTY exec (<see cref="DockerRuntime.StartProcessAsync"/>).</summary>
internal sealed class DockerSandboxProcess(DockerExec exec, string execId, DockerExecStream stream) : SandboxProcess
{
    public override Stream Output => stream;

    public override ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        stream.WriteAsync(data, cancellationToken);

    public override ValueTask CompleteInputAsync(CancellationToken cancellationToken)
    {
        stream.CloseWrite();
        return ValueTask.CompletedTask;
    }

    public override async Task<SandboxProcessExit> WaitForExitAsync(CancellationToken cancellationToken)
    {
        var code = await exec.WaitForExitCodeAsync(execId, cancellationToken);
        return new SandboxProcessExit(code, stream.Stderr);
    }

    public override ValueTask DisposeAsync() => stream.DisposeAsync();
}
