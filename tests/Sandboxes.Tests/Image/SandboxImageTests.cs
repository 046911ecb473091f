using System.Diagnostics;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Image;

public sealed class SandboxImageTests
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(60);

    [DockerFact]
    public async Task EnsureBuilt_LoginShell_HasDevUserTmuxNodeAndLocalBinOnPath()
    {
        var image = await SandboxImage.EnsureBuiltAsync().WaitAsync(TimeSpan.FromMinutes(16));

        var (exitCode, stdout, stderr) = await RunAsync(
            "docker", "run", "--rm", "--init", "--entrypoint", "bash", image,
            "-lc", "id -u; tmux -V; node --version; git --version; echo $PATH");

        exitCode.ShouldBe(0, $"stdout:\n{stdout}\nstderr:\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Length.ShouldBe(5, stdout);
        lines[0].ShouldBe("1000");
        lines[1].ShouldStartWith("tmux ");
        // The agents need a current node (Claude Code >= 22, OpenClaw >= 24.16), not the distribution's 18.
        lines[2].ShouldMatch(@"^v24\.\d+\.\d+$");
        lines[3].ShouldStartWith("git version ");
        lines[4].Split(':').ShouldContain("/home/dev/.local/bin");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        using var cts = new CancellationTokenSource(s_runTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {s_runTimeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
