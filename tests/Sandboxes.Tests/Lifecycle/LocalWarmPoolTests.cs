using System.Diagnostics;
using System.Text;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Lifecycle;

/// <summary>
/// The warm pool on the local (bubblewrap) runtime, through the same layers as on Docker: a claimed spare becomes the
/// session's (its identity and secrets arrive at the claim), its record follows it, and a restart adopts it as the
/// session's.
/// </summary>
public sealed class LocalWarmPoolTests
{
    private static readonly Dictionary<string, string?> s_settings = new() { ["REMOLT_WARM_POOL"] = "1", ["REMOLT_RUNTIME"] = "local" };

    [LocalFact]
    public async Task Claim_GetsIdentityAndSecrets_AndARestartAdoptsItAsTheSession()
    {
        var host = await DockerSessionHost.StartAsync(s_settings);
        var data = host.DataDirectory;
        try
        {
            host.Runtime.Name.ShouldBe("local");
            await host.WarmPool.FillAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
            var warm = (await host.WarmStore.ListAsync(WarmSandboxState.Ready, CancellationToken.None))
                .Where(w => w.AgentId == "claude-code").Select(w => w.SandboxId).ShouldHaveSingleItem();

            var session = await host.CreateAsync(request: new CreateSessionRequest(
                "claude-code", "Ada Lovelace", "ada@example.com", AgentEnv: new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-local-warm" }));

            session.SandboxId.ShouldBe(warm);
            var check = await ShellAsync(host, session, "git config --global user.name; echo key=$ANTHROPIC_API_KEY; test -d ~/workspace && echo has-workspace");
            check.ShouldContain("Ada Lovelace");
            check.ShouldContain("key=sk-local-warm");
            check.ShouldContain("has-workspace");
            (await host.Runtime.ListManagedAsync(CancellationToken.None)).ShouldContain(s => s.SandboxId == warm && s.SessionId == session.Id);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(data, "sandboxes"), "*.json", SearchOption.AllDirectories))
            {
                (await File.ReadAllTextAsync(file)).ShouldNotContain("sk-local-warm", customMessage: file);
            }

            await host.AbandonAsync(); // a crash: nothing is ended or removed
            await using var restarted = await DockerSessionHost.StartAsync(s_settings, data);
            var recovered = restarted.Sessions.Snapshot().ShouldHaveSingleItem();
            recovered.Id.ShouldBe(session.Id);
            recovered.SandboxId.ShouldBe(warm);
            (await ShellAsync(restarted, recovered, "echo key=$ANTHROPIC_API_KEY")).ShouldContain("key=sk-local-warm");
        }
        finally
        {
            await host.AbandonAsync();
            using var pkill = Process.Start("pkill", ["-KILL", "-f", Path.Combine(data, "sandboxes")]);
            await pkill.WaitForExitAsync();
        }
    }

    private static async Task<string> ShellAsync(DockerSessionHost host, Session session, string script)
    {
        var result = await host.Runtime.ExecAsync(session.SandboxId!, ["bash", "-lc", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerSessionHost.Timeout);
        return Encoding.UTF8.GetString(result.Stdout) + Encoding.UTF8.GetString(result.Stderr);
    }
}
