using System.Diagnostics;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Image;

/// <summary>A real agent image (Claude Code from npm) built by container/build-images.sh, as a self-hoster gets it.</summary>
public sealed class AgentImageTests
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(16);

    [DockerFact]
    public async Task ClaudeCodeImage_Built_ClaudeVersionRunsInALoginShell()
    {
        var image = await AgentImage.EnsureBuiltAsync("claude-code").WaitAsync(s_buildTimeout);
        image.ShouldBe(AgentImages.DefaultFor("claude-code"));

        var (exitCode, stdout, stderr) = await ImageRun.DockerAsync(
            "run", "--rm", "--init", "--network", "none", "--entrypoint", "bash", image,
            "-lc", "id -un; claude --version; echo \"$DISABLE_AUTOUPDATER$DISABLE_INSTALLATION_CHECKS\"; command -v claude");

        exitCode.ShouldBe(0, $"stdout:\n{stdout}\nstderr:\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Length.ShouldBe(4, stdout);
        lines[0].ShouldBe("dev");
        lines[1].ShouldMatch(@"^\d+\.\d+\.\d+ \(Claude Code\)$");
        lines[2].ShouldBe("11");
        lines[3].ShouldBe("/home/dev/.local/bin/claude"); // npm globals in ~/.local: installed as dev
    }

    [DockerFact]
    public async Task ClaudeCodeImage_Labels_NameTheAgentAndTheBuildHash()
    {
        var image = await AgentImage.EnsureBuiltAsync("claude-code").WaitAsync(s_buildTimeout);

        var (exitCode, stdout, stderr) = await ImageRun.DockerAsync(
            "image", "inspect", "-f", "{{index .Config.Labels \"remolt.image\"}} {{index .Config.Labels \"remolt.agent\"}} {{index .Config.Labels \"remolt.build-hash\"}}", image);

        exitCode.ShouldBe(0, stderr);
        var labels = stdout.Trim().Split(' ');
        labels[0].ShouldBe("agent");
        labels[1].ShouldBe("claude-code");
        labels[2].ShouldMatch("^[0-9a-f]{64}$");
    }

    [DockerFact]
    public async Task BuildScript_RerunWithNothingChanged_SkipsEveryImage()
    {
        await AgentImage.EnsureBuiltAsync("claude-code").WaitAsync(s_buildTimeout);
        var started = Stopwatch.StartNew();

        var rerun = await ImageBuildScript.RunCheckedAsync(
            ["--agent", "claude-code"], new Dictionary<string, string> { ["REMOLT_CLAUDE_CODE_IMAGE"] = AgentImage.NameFor("claude-code") });

        rerun.Output.ShouldContain($"{SandboxImage.Name} is up to date");
        rerun.Output.ShouldContain("remolt-claude-code is up to date");
        rerun.Output.ShouldNotContain("Step 1/");
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }
}
