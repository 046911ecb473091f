using RemoltBlazor.Sandboxes.Docker.Engine;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>A streaming non-TTY exec (<see cref="DockerRuntime.StartProcessAsync"/>).</summary>
internal sealed class DockerSandboxProcess : SandboxProcess
{
    private readonly DockerExecApi _exec;
    private readonly string _execId;
    private readonly DockerExecStream _stream;

    public DockerSandboxProcess(DockerExecApi exec, string execId, DockerExecStream stream)
    {
        _exec = exec;
        _execId = execId;
        _stream = stream;
    }

    public override Stream Output => _stream;

    public override ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _stream.WriteAsync(data, cancellationToken);

    public override ValueTask CompleteInputAsync(CancellationToken cancellationToken)
    {
        _stream.CloseWrite();
        return ValueTask.CompletedTask;
    }

    public override async Task<SandboxProcessExit> WaitForExitAsync(CancellationToken cancellationToken)
    {
        var code = await _exec.WaitForExitCodeAsync(_execId, cancellationToken);
        return new SandboxProcessExit(code, _stream.Stderr.ToText());
    }

    public override ValueTask DisposeAsync() => _stream.DisposeAsync();
}
