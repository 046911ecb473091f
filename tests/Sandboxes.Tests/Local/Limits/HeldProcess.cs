using System.Diagnostics;

namespace RemoltBlazor.Sandboxes.Tests.Local.Limits;

/// <summary>
/// A shell script that waits for a line on stdin before it runs, so the test can move it into a group first and
/// everything it does (and starts) happens inside. Its output (stdout and stderr) is collected.
/// </summary>
internal sealed class HeldProcess : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _errors;

    public HeldProcess(string script)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("read go; " + script);
        _process = Process.Start(start)!;
        _output = _process.StandardOutput.ReadToEndAsync();
        _errors = _process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public void Go()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
    }

    public async Task<(int ExitCode, string Output)> WaitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Timeout);
        return (_process.ExitCode, await _output.WaitAsync(Timeout) + await _errors.WaitAsync(Timeout));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
