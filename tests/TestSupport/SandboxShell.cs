using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.TestSupport;

/// <summary>Runs a script as dev in a sandbox to set up or inspect what a test needs; a non-zero exit fails the test.</summary>
public static class SandboxShell
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <returns>Its stdout, trimmed.</returns>
    public static async Task<string> RunAsync(ISandboxRuntime runtime, string sandboxId, string script)
    {
        var result = await runtime.ExecAsync(sandboxId, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{script}` failed with exit {result.ExitCode}: {Encoding.UTF8.GetString(result.Stderr)}");
        }

        return Encoding.UTF8.GetString(result.Stdout).Trim();
    }
}
