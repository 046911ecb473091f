using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Image;

public sealed class SandboxImageTests
{
    [DockerFact]
    public async Task EnsureBuilt_LoginShell_HasDevUserTmuxNodeAndLocalBinOnPath()
    {
        var image = await SandboxImage.EnsureBuiltAsync().WaitAsync(TimeSpan.FromMinutes(16));

        var (exitCode, stdout, stderr) = await ImageRun.DockerAsync(
            "run", "--rm", "--init", "--entrypoint", "bash", image,
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
}
