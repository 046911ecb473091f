using System.Text;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Image;

/// <summary>
/// GITHUB_TOKEN reaches git (the image's credential helper) and gh (its wrapper), read from the environment or from
/// the secret file the server writes. No network to GitHub: credential lookups and `gh auth token` are offline.
/// </summary>
public sealed class GitHubCredentialTests : IClassFixture<DockerSandboxFixture>
{
    private const string FillGitHub = "printf 'protocol=https\\nhost=github.com\\n\\n' | GIT_TERMINAL_PROMPT=0 git credential fill";

    private readonly DockerSandboxFixture _sandbox;

    public GitHubCredentialTests(DockerSandboxFixture sandbox) => _sandbox = sandbox;

    [DockerFact]
    public async Task CredentialFill_TokenInSecretFile_GitGetsItForGitHubOnly()
    {
        var token = await WriteSecretTokenAsync();

        // A plain exec is not a login shell: GITHUB_TOKEN is not in its environment, the helper reads the file.
        var github = await ShAsync($"test -z \"${{GITHUB_TOKEN:-}}\" || exit 9; {FillGitHub}");
        github.ExitCode.ShouldBe(0, github.Stderr);
        github.Stdout.Split('\n').ShouldContain($"password={token}");
        github.Stdout.Split('\n').ShouldContain("username=x-access-token");

        var other = await ShAsync("printf 'protocol=https\\nhost=gitlab.example.com\\n\\n' | GIT_TERMINAL_PROMPT=0 git credential fill");
        other.Stdout.ShouldNotContain("password=");
        other.Stdout.ShouldNotContain(token);
        other.ExitCode.ShouldNotBe(0); // git found nothing and may not prompt

        var plainHttp = await ShAsync("printf 'protocol=http\\nhost=github.com\\n\\n' | /usr/local/bin/git-credential-remolt get");
        plainHttp.Stdout.ShouldBeEmpty();
    }

    [DockerFact]
    public async Task CredentialFill_TokenInEnvironment_WinsOverSecretFile()
    {
        await WriteSecretTokenAsync();
        var fromEnv = "ghp_env_" + Guid.NewGuid().ToString("N");

        // The value arrives on stdin, never on a command line.
        var result = await _sandbox.Runtime.ExecAsync(
            _sandbox.SandboxId,
            ["bash", "-c", $"read -r GITHUB_TOKEN; export GITHUB_TOKEN; {FillGitHub}"],
            Encoding.UTF8.GetBytes(fromEnv + "\n"),
            CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        Encoding.UTF8.GetString(result.Stdout).Split('\n').ShouldContain($"password={fromEnv}");
    }

    [DockerFact]
    public async Task GhAuthToken_TokenInSecretFile_SeenByPlainExecAndLoginShell()
    {
        var token = await WriteSecretTokenAsync();

        var plain = await ShAsync("gh auth token");
        plain.ExitCode.ShouldBe(0, plain.Stderr);
        plain.Stdout.Trim().ShouldBe(token);

        var login = await ShAsync("bash -lc 'test \"$GITHUB_TOKEN\" = \"$(gh auth token)\" && echo same'");
        login.Stdout.Trim().ShouldBe("same", login.Stderr);

        var protocol = await ShAsync("gh config get git_protocol");
        protocol.Stdout.Trim().ShouldBe("https");
    }

    [DockerFact]
    public async Task CredentialFill_NoToken_PrintsNothing()
    {
        var removed = await ShAsync("rm -f ~/.remolt/env");
        removed.ExitCode.ShouldBe(0);

        var helper = await ShAsync("printf 'protocol=https\\nhost=github.com\\n\\n' | /usr/local/bin/git-credential-remolt get");

        helper.ExitCode.ShouldBe(0);
        helper.Stdout.ShouldBeEmpty();
    }

    /// <summary>Writes a fresh token the way the server does (SecretFile over stdin); returns it.</summary>
    private async Task<string> WriteSecretTokenAsync()
    {
        var token = "ghp_" + Guid.NewGuid().ToString("N");
        var secrets = new Dictionary<string, string> { ["GITHUB_TOKEN"] = token, ["ANTHROPIC_API_KEY"] = "sk-it's-quoted" };
        var written = await _sandbox.Runtime.ExecAsync(_sandbox.SandboxId, SecretFile.WriteCommand, SecretFile.Render(secrets), CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        written.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(written.Stderr));
        return token;
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> ShAsync(string script)
    {
        var result = await _sandbox.Runtime.ExecAsync(_sandbox.SandboxId, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        return (result.ExitCode, Encoding.UTF8.GetString(result.Stdout), Encoding.UTF8.GetString(result.Stderr));
    }
}
