using System.Text.Json;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Tests.Sessions;

/// <summary>Session secrets and agent env on create: stdin only, never the create env, a command line or an event.</summary>
public sealed class SessionManagerSecretTests
{
    private static readonly TimeSpan s_timeout = SessionManagerHarness.Timeout;

    [Fact]
    public async Task CreateAsync_SecretInjectionFails_RemovesCreatedSandboxAndFreesSlot()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        h.Runtime.ExecFailure = new SandboxRuntimeException("exec broke");

        var ex = await Should.ThrowAsync<SessionCreateException>(h.Manager.CreateAsync(
            "alice",
            new CreateSessionRequest(AgentEnv: new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-ant-secret" }),
            CancellationToken.None).WaitAsync(s_timeout));

        ex.Message.ShouldContain("try again", Case.Insensitive);
        ex.Message.ShouldNotContain("sk-ant-secret");
        var sessionId = h.Runtime.Creates.ShouldHaveSingleItem().SessionId;
        h.Runtime.Removes.ShouldBe(["fake-" + sessionId]);
        h.Runtime.Live.ShouldBeEmpty();
        h.Manager.LiveCount.ShouldBe(0);
        var row = await h.Store.FindAsync(sessionId, CancellationToken.None).WaitAsync(s_timeout);
        row.ShouldNotBeNull();
        row.EndReason.ShouldBe("create_failed");
    }

    [Fact]
    public async Task CreateAsync_SecretWriteExitsNonZero_RemovesCreatedSandbox()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        h.Runtime.ExecExitCode = 1;

        await Should.ThrowAsync<SessionCreateException>(h.Manager.CreateAsync(
            "alice",
            new CreateSessionRequest(Credentials: new Dictionary<string, string> { [SessionCredentials.GitHubToken] = "ghp_x" }),
            CancellationToken.None).WaitAsync(s_timeout));

        h.Runtime.Live.ShouldBeEmpty();
        h.Runtime.Removes.Count.ShouldBe(1);
        h.Manager.LiveCount.ShouldBe(0);
    }

    [Fact]
    public async Task CreateAsync_Secrets_GoOverStdinNeverIntoCreateEnvOrCommandLine()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        const string schemaSecret = "tester-secret-value-1";
        const string gitHubToken = "ghp_secret_token_2";
        const string apiKey = "sk-ant-secret-3";

        var session = await h.Manager.CreateAsync(
            "alice",
            new CreateSessionRequest(
                SessionManagerHarness.TesterAgent,
                AgentEnv: new Dictionary<string, string> { ["TESTER_SECRET"] = schemaSecret, ["TESTER_PLAIN"] = "plain-value" },
                Credentials: new Dictionary<string, string>
                {
                    [SessionCredentials.GitHubToken] = gitHubToken,
                    [SessionCredentials.AnthropicApiKey] = apiKey,
                }),
            CancellationToken.None).WaitAsync(s_timeout);

        var env = h.Runtime.Creates.ShouldHaveSingleItem().Env;
        env["TESTER_PLAIN"].ShouldBe("plain-value");
        env.ShouldNotContainKey("TESTER_SECRET");
        env.ShouldNotContainKey("GITHUB_TOKEN");
        env.ShouldNotContainKey("ANTHROPIC_API_KEY");
        string[] secrets = [schemaSecret, gitHubToken, apiKey];
        foreach (var secret in secrets)
        {
            env.Values.ShouldNotContain(v => v.Contains(secret, StringComparison.Ordinal));
        }

        var write = h.Runtime.Execs.ShouldHaveSingleItem();
        write.SandboxId.ShouldBe(session.SandboxId);
        write.StdinText.ShouldContain($"export TESTER_SECRET='{schemaSecret}'");
        write.StdinText.ShouldContain($"export GITHUB_TOKEN='{gitHubToken}'");
        write.StdinText.ShouldContain($"export ANTHROPIC_API_KEY='{apiKey}'");
        write.StdinText.ShouldNotContain("TESTER_PLAIN");
        foreach (var secret in secrets)
        {
            write.CommandLine.ShouldNotContain(secret);
        }

        // Nor do they reach the event log or the session row.
        var events = await File.ReadAllTextAsync(h.EventsFile);
        var row = JsonSerializer.Serialize(await h.Store.FindAsync(session.Id, CancellationToken.None).WaitAsync(s_timeout));
        foreach (var secret in secrets)
        {
            events.ShouldNotContain(secret);
            row.ShouldNotContain(secret);
        }
    }

    [Fact]
    public async Task CreateAsync_SecretValueWithQuote_IsShellQuotedOnStdin()
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        await h.Manager.CreateAsync(
            "alice",
            new CreateSessionRequest(AgentEnv: new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "a'b$(x)" }),
            CancellationToken.None).WaitAsync(s_timeout);

        h.Runtime.Execs.ShouldHaveSingleItem().StdinText.ShouldBe("export ANTHROPIC_API_KEY='a'\\''b$(x)'\n");
    }

    [Fact]
    public async Task CreateAsync_NoSecrets_RunsNoExec()
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);

        h.Runtime.Execs.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateAsync_AgentEnvKeyOutsideSchema_ThrowsRequestException()
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        var ex = await Should.ThrowAsync<SessionRequestException>(h.Manager.CreateAsync(
            "alice",
            new CreateSessionRequest(AgentEnv: new Dictionary<string, string> { ["LD_PRELOAD"] = "/tmp/evil.so" }),
            CancellationToken.None).WaitAsync(s_timeout));

        ex.Message.ShouldContain("LD_PRELOAD");
        ex.Message.ShouldContain("claude-code");
        h.Runtime.CreateCalls.ShouldBe(0);
        h.Manager.LiveCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("ftp://example.com/repo")]
    [InlineData("not a url")]
    public async Task CreateAsync_BadRepoUrl_ThrowsRequestException(string url)
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        var ex = await Should.ThrowAsync<SessionRequestException>(
            h.Manager.CreateAsync("alice", new CreateSessionRequest(RepoUrl: url), CancellationToken.None).WaitAsync(s_timeout));

        ex.Message.ShouldContain("repo_url");
        h.Manager.LiveCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("https://alice:tok%2Fen-1@git.example.com/org/repo.git", "git.example.com", "alice", "tok/en-1", "https://git.example.com/org/repo.git")]
    [InlineData("https://ghp_only-token-2@github.com:8443/o/r", "github.com:8443", "x-access-token", "ghp_only-token-2", "https://github.com:8443/o/r")]
    public async Task CreateAsync_RepoUrlWithCredential_StrippedUrlInEnv_CredentialOverStdinOnly(
        string url, string host, string user, string password, string stripped)
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        await h.Manager.CreateAsync("alice", new CreateSessionRequest(RepoUrl: url), CancellationToken.None).WaitAsync(s_timeout);

        var env = h.Runtime.Creates.ShouldHaveSingleItem().Env;
        env["REPO_URL"].ShouldBe(stripped);
        env["REMOLT_REPO_CREDENTIAL"].ShouldBe("1");
        env.Values.ShouldAllBe(v => !v.Contains(password));
        var exec = h.Runtime.Execs.ShouldHaveSingleItem();
        exec.CommandLine.ShouldNotContain(password);
        exec.StdinText.ShouldContain($"export REMOLT_REPO_HOST='{host}'");
        exec.StdinText.ShouldContain($"export REMOLT_REPO_USERNAME='{user}'");
        exec.StdinText.ShouldContain($"export REMOLT_REPO_PASSWORD='{password}'");
    }

    [Fact]
    public async Task CreateAsync_BadRepoUrlWithCredential_ErrorRedactsIt()
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        var ex = await Should.ThrowAsync<SessionRequestException>(
            h.Manager.CreateAsync("alice", new CreateSessionRequest(RepoUrl: "ftp://bob:hunter2-secret@example.com/r"), CancellationToken.None).WaitAsync(s_timeout));

        ex.Message.ShouldContain("ftp://***@example.com/r");
        ex.Message.ShouldNotContain("hunter2-secret");
    }
}
