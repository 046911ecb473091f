using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Lifecycle;

/// <summary>The agent's welcome text (agent.json "welcome") greets the first terminal of a sandbox, once.</summary>
public sealed class WelcomeTextTests
{
    private const string ClaudeWelcome = "Run `claude` to start an AI coding session.";

    [DockerFact]
    public async Task FirstTerminal_ShowsTheAgentsWelcome_LaterTabsDoNot()
    {
        await using var host = await DockerSessionHost.StartAsync();
        var session = await host.CreateAsync(request: new CreateSessionRequest("claude-code"));

        await using (var first = await AttachAsync(host, session.SandboxId!, window: 0))
        {
            await first.WaitForAsync(ClaudeWelcome);
            await first.WaitForAsync("Run `gh pr create` to push your work.");
        }

        await using var second = await AttachAsync(host, session.SandboxId!, window: 1);
        await second.SendAsync("echo second-ready\r");
        await second.WaitForAsync("second-ready");
        second.Text.ShouldNotContain(ClaudeWelcome);
    }

    [DockerFact]
    public async Task WarmSandbox_ClaimedSession_ShowsTheAgentsWelcome()
    {
        await using var host = await DockerSessionHost.StartAsync(new Dictionary<string, string?> { ["REMOLT_WARM_POOL"] = "1" });
        await host.WarmPool.FillAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
        var session = await host.CreateAsync(request: new CreateSessionRequest("claude-code"));

        await using var terminal = await AttachAsync(host, session.SandboxId!, window: 0);
        await terminal.WaitForAsync(ClaudeWelcome);
    }

    private static async Task<TerminalReader> AttachAsync(DockerSessionHost host, string sandbox, int window)
    {
        var stream = await host.Runtime.AttachTerminalAsync(sandbox, new TerminalAttachOptions(window, new TerminalSize(120, 30)), CancellationToken.None)
            .WaitAsync(DockerSessionHost.Timeout);
        return new TerminalReader(stream);
    }
}
