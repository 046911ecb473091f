using System.Diagnostics;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.TestSupport;

/// <summary>A <see cref="SandboxProcess"/> that is a process on the host, for <see cref="FakeSandboxRuntime"/>.</summary>
internal sealed class HostProcess : SandboxProcess
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private HostProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static HostProcess Start(IReadOnlyList<string> command)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            psi.ArgumentList.Add(argument);
        }

        return new HostProcess(Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {command[0]}."));
    }

    public override Stream Output => _process.StandardOutput.BaseStream;

    public override async ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _process.StandardInput.BaseStream.WriteAsync(data, cancellationToken);
        await _process.StandardInput.BaseStream.FlushAsync(cancellationToken);
    }

    public override ValueTask CompleteInputAsync(CancellationToken cancellationToken)
    {
        _process.StandardInput.Close();
        return ValueTask.CompletedTask;
    }

    public override async Task<SandboxProcessExit> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return new SandboxProcessExit(_process.ExitCode, await _stderr);
    }

    public override ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
