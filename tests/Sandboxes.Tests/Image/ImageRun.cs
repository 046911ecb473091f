using System.Diagnostics;

namespace RemoltBlazor.Sandboxes.Tests.Image;

/// <summary>The docker CLI for image tests: exit code, stdout and stderr, with a timeout.</summary>
internal static class ImageRun
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> DockerAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("docker")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start docker");
        using var cts = new CancellationTokenSource(s_timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"docker {string.Join(' ', args)} did not finish within {s_timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
