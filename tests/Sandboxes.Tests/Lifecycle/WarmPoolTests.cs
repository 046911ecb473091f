using System.Text;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Lifecycle;

/// <summary>The warm pool on real Docker: claims are recorded, so a claimed sandbox is never mistaken for a spare.</summary>
public sealed class WarmPoolTests
{
    private static readonly Dictionary<string, string?> s_settings = new() { ["REMOLT_WARM_POOL"] = "1" };

    [DockerFact]
    public async Task Claim_ThenHealthChecksAndRestart_SessionSurvivesWithItsSettings()
    {
        var host = await DockerSessionHost.StartAsync(s_settings);
        string data = host.DataDirectory;
        Session session;
        string? spare;

        try
        {
            await host.WarmPool.FillAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
            var warm = (await ReadyAsync(host)).ShouldHaveSingleItem();

            session = await host.CreateAsync(request: new CreateSessionRequest(
                "claude-code", "Ada Lovelace", "ada@example.com", AgentEnv: new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-warm-secret" }));

            session.SandboxId.ShouldBe(warm);
            (await ReadyAsync(host)).ShouldBeEmpty();
            var check = await ShellAsync(host, session, "git config --global user.name; echo key=$ANTHROPIC_API_KEY");
            check.ShouldContain("Ada Lovelace");
            check.ShouldContain("key=sk-warm-secret");
            (await DockerCli.RunAsync($"inspect {warm}")).ShouldNotContain("sk-warm-secret");

            // Several health checks and refills later, the claimed sandbox is still the session's.
            for (var i = 0; i < 3; i++)
            {
                await host.WarmPool.CheckHealthAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
                await host.WarmPool.FillAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
                await host.SweepAsync();
            }

            host.Sessions.Snapshot().ShouldContain(session);
            spare = (await ReadyAsync(host)).ShouldHaveSingleItem();
            spare.ShouldNotBe(warm);
            (await DockerCli.RunAsync($"ps -q --filter name=^{warm}$")).ShouldNotBeEmpty();
        }
        catch
        {
            await host.AbandonAsync();
            await DockerCli.RemoveInstanceAsync(data);
            throw;
        }

        await host.AbandonAsync(); // a crash: nothing is ended or removed

        await using var restarted = await DockerSessionHost.StartAsync(s_settings, data);
        try
        {
            await AssertRecoveredAsync(restarted, session, spare);
        }
        finally
        {
            await DockerCli.RemoveInstanceAsync(data);
        }
    }

    private static async Task AssertRecoveredAsync(DockerSessionHost restarted, Session session, string? spare)
    {
        var recovered = restarted.Sessions.Snapshot().ShouldHaveSingleItem();
        recovered.Id.ShouldBe(session.Id);
        recovered.SandboxId.ShouldBe(session.SandboxId);
        (await ShellAsync(restarted, recovered, "echo key=$ANTHROPIC_API_KEY")).ShouldContain("key=sk-warm-secret");
        (await DockerCli.RunAsync($"ps -aq --filter name=^{spare}$")).ShouldBeEmpty("the unclaimed spare of the crashed server is removed");
    }

    [DockerFact]
    public async Task Claim_AgentWithoutWarmPool_StartsCold()
    {
        await using var host = await DockerSessionHost.StartAsync(s_settings);
        await host.WarmPool.FillAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
        var warm = (await ReadyAsync(host)).ShouldHaveSingleItem();

        var session = await host.CreateAsync(request: new CreateSessionRequest("codex"));

        session.SandboxId.ShouldNotBe(warm);
        (await ReadyAsync(host)).ShouldBe([warm]);
        await host.WarmPool.StopAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
        (await DockerCli.RunAsync($"ps -aq --filter name=^{warm}$")).ShouldBeEmpty("ready sandboxes go when the server stops");
    }

    [DockerFact]
    public async Task CheckHealth_ReadySandboxRemovedOutside_IsReplaced()
    {
        await using var host = await DockerSessionHost.StartAsync(s_settings);
        await host.WarmPool.FillAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
        var warm = (await ReadyAsync(host)).ShouldHaveSingleItem();

        await DockerCli.RunAsync($"rm -f {warm}");
        await host.WarmPool.CheckHealthAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
        await host.WarmPool.FillAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);

        var replacement = (await ReadyAsync(host)).ShouldHaveSingleItem();
        replacement.ShouldNotBe(warm);
        var session = await host.CreateAsync();
        session.SandboxId.ShouldBe(replacement);
        await host.WarmPool.StopAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
    }

    /// <summary>Ready claude-code spares (openclaw, also warm_pool: true, gets its own).</summary>
    private static async Task<List<string>> ReadyAsync(DockerSessionHost host)
    {
        var store = host.WarmStore;
        return [.. (await store.ListAsync(WarmSandboxState.Ready, CancellationToken.None)).Where(w => w.AgentId == "claude-code").Select(w => w.SandboxId)];
    }

    private static async Task<string> ShellAsync(DockerSessionHost host, Session session, string script)
    {
        var result = await host.Runtime.ExecAsync(session.SandboxId!, ["bash", "-lc", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerSessionHost.Timeout);
        return Encoding.UTF8.GetString(result.Stdout) + Encoding.UTF8.GetString(result.Stderr);
    }
}
