using System.Text;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Lifecycle;

/// <summary>
/// A session's secret on real Docker: every tmux tab has it (login shells and plain commands tmux starts), tmux's
/// global environment has it, and it is in neither <c>docker inspect</c> nor the event log.
/// </summary>
public sealed class SecretInjectionTests
{
    private const string Secret = "sk-ant-inject-7f3a9c";

    [DockerFact]
    public async Task Secret_InSecondTabAndTmuxEnvironment_NotInInspectOrEvents()
    {
        await using var host = await DockerSessionHost.StartAsync();
        var session = await host.CreateAsync(request: new CreateSessionRequest(
            "claude-code", AgentEnv: new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = Secret }));
        var sandbox = session.SandboxId!;

        await using (var first = await AttachAsync(host, sandbox, window: 0))
        {
            await first.SendAsync("echo first-tab=$ANTHROPIC_API_KEY\r");
            await first.WaitForAsync($"first-tab={Secret}");
        }

        await using (var second = await AttachAsync(host, sandbox, window: 1))
        {
            await second.SendAsync("echo second-tab=$ANTHROPIC_API_KEY\r");
            await second.WaitForAsync($"second-tab={Secret}");
        }

        (await ShellAsync(host, sandbox, "tmux show-environment -g ANTHROPIC_API_KEY")).ShouldContain($"ANTHROPIC_API_KEY={Secret}");
        // A window started with a plain command (no login shell, so no profile.d) still gets it from tmux.
        await ShellAsync(host, sandbox, "tmux new-window -d -t main-1 'printf %s \"$ANTHROPIC_API_KEY\" > /tmp/plain-window'; sleep 0.5");
        (await ShellAsync(host, sandbox, "cat /tmp/plain-window")).ShouldBe(Secret);
        (await ShellAsync(host, sandbox, "stat -c '%U %a' ~/.remolt/env")).Trim().ShouldBe("dev 600");

        (await DockerCli.RunAsync($"inspect {sandbox}")).ShouldNotContain(Secret);
        await using var db = DockerSessionHost.OpenDatabase(host.DataDirectory);
        var events = db.Events.AsEnumerable().Select(e => e.Name + " " + e.Fields).ToList();
        events.ShouldNotBeEmpty();
        events.ShouldAllBe(e => !e.Contains(Secret));
        var row = db.Sessions.AsEnumerable().Single(s => s.Id == session.Id);
        System.Text.Json.JsonSerializer.Serialize(row).ShouldNotContain(Secret);
    }

    [DockerFact]
    public async Task RepoUrlWithCredential_StrippedFromEnvCommandLinesAndLogs_HelperGivesItToItsHostOnly()
    {
        const string Token = "ghp-repo-cred-51d0e2";
        await using var host = await DockerSessionHost.StartAsync();
        var session = await host.CreateAsync(request: new CreateSessionRequest(
            "claude-code", RepoUrl: $"https://alice:{Token}@git.example.invalid/org/repo.git"));
        var sandbox = session.SandboxId!;

        // The entrypoint waits for the credential, then tries the (unresolvable) host: its log is written by then.
        await Poll.UntilAsync(async () => (await LogsAsync(sandbox)).Contains("git clone failed"), TimeSpan.FromSeconds(60));
        (await DockerCli.ExecuteAsync(["inspect", sandbox, "--format", "{{range .Config.Env}}{{println .}}{{end}}"], DockerSessionHost.Timeout)).Stdout
            .ShouldContain("REPO_URL=https://git.example.invalid/org/repo.git");
        (await DockerCli.RunAsync($"inspect {sandbox}")).ShouldNotContain(Token);
        (await LogsAsync(sandbox)).ShouldNotContain(Token);
        var (_, processes, _) = await DockerCli.ExecuteAsync(
            ["exec", "-u", "root", sandbox, "sh", "-c", "cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' '\\n'"], DockerSessionHost.Timeout);
        processes.ShouldContain("REPO_URL=https://git.example.invalid/org/repo.git");
        processes.ShouldNotContain(Token);

        // Not a login shell: the helper reads the secret file itself, and answers for the repository's host only.
        (await ShellAsync(host, sandbox, "printf 'protocol=https\\nhost=git.example.invalid\\n\\n' | git -c credential.helper=/usr/local/bin/git-credential-remolt credential fill"))
            .ShouldContain($"username=alice\npassword={Token}");
        (await ShellAsync(host, sandbox, "printf 'protocol=https\\nhost=evil.example\\n\\n' | /usr/local/bin/git-credential-remolt get")).ShouldBeEmpty();
        await using var db = DockerSessionHost.OpenDatabase(host.DataDirectory);
        db.Events.AsEnumerable().Select(e => e.Name + " " + e.Fields).ShouldAllBe(e => !e.Contains(Token));
    }

    /// <summary>The container's log, both streams (the entrypoint logs to stderr).</summary>
    private static async Task<string> LogsAsync(string sandbox)
    {
        var (_, stdout, stderr) = await DockerCli.ExecuteAsync(["logs", sandbox], DockerSessionHost.Timeout);
        return stdout + stderr;
    }

    private static async Task<TerminalReader> AttachAsync(DockerSessionHost host, string sandbox, int window)
    {
        var stream = await host.Runtime.AttachTerminalAsync(sandbox, new TerminalAttachOptions(window, new TerminalSize(120, 30)), CancellationToken.None)
            .WaitAsync(DockerSessionHost.Timeout);
        return new TerminalReader(stream);
    }

    // Not a login shell: only what tmux itself holds counts.
    private static async Task<string> ShellAsync(DockerSessionHost host, string sandbox, string script)
    {
        var result = await host.Runtime.ExecAsync(sandbox, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerSessionHost.Timeout);
        return Encoding.UTF8.GetString(result.Stdout) + Encoding.UTF8.GetString(result.Stderr);
    }
}
