using System.Diagnostics;

namespace RemoltBlazor.TestSupport;

/// <summary>The docker CLI, for tests that check from the outside what the app left behind.</summary>
public static class DockerCli
{
    public static async Task<string> RunAsync(string arguments, TimeSpan? timeout = null)
    {
        using var process = Process.Start(new ProcessStartInfo("docker", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("docker CLI did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {arguments} exited {process.ExitCode}: {await stderr}");
        }

        return (await stdout).Trim();
    }
}
