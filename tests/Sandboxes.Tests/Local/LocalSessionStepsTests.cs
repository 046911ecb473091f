using System.Text;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Contract.Local;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local;

/// <summary>What the image gives a container, a local sandbox gets from the app's copies: the entrypoint's steps, helpers, secrets.</summary>
public sealed class LocalSessionStepsTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly string _data = TestDataFolder.Create("local-steps");

    [LocalFact]
    public async Task CreateAsync_RunsTheEntrypointsSteps_HelpersOnThePath_SecretsReachLoginShells()
    {
        var runtime = LocalContractHost.NewRuntime(_data);
        var env = new Dictionary<string, string> { ["GIT_USER_NAME"] = "Ada Local", ["AGENT_SETUP"] = "echo setup-ran > ~/setup.txt" };
        var sandboxId = (await runtime.CreateAsync(new SandboxSpec($"s-{Guid.NewGuid():N}"[..14], "ada", "shell", "local", env), CancellationToken.None).WaitAsync(s_timeout)).SandboxId;

        var secret = await runtime.ExecAsync(sandboxId, SecretFile.WriteCommand, SecretFile.Render(new Dictionary<string, string> { ["API_KEY"] = "s3cret value" }), CancellationToken.None);
        secret.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(secret.Stderr));
        var output = await BashAsync(runtime, sandboxId,
            "git config --global user.name; command -v gh; git config --get-urlmatch credential.helper https://github.com; " +
            "echo \"[$API_KEY]\"; stat -c %a ~/.remolt/env; hostname | grep -cE '^[0-9a-f]{12}$'; " +
            "for i in $(seq 50); do [ -s ~/setup.txt ] && break; sleep 0.1; done; cat ~/setup.txt");

        output.ShouldBe(
            "Ada Local\n" + LocalSandboxFolder.LibInside + "/bin/gh\n" + LocalSandboxFolder.LibInside + "/bin/git-credential-remolt\n" +
            "[s3cret value]\n600\n1\nsetup-ran\n");
        // The secret reached the sandbox over stdin only: no command line the server ran carries it.
        File.ReadAllText(Path.Combine(_data, "sandboxes", sandboxId, "sandbox.json")).ShouldNotContain("s3cret");
    }

    public void Dispose()
    {
        LocalContractHost.KillAll(_data);
        TestDataFolder.Delete(_data);
    }

    private static async Task<string> BashAsync(LocalRuntime runtime, string sandboxId, string script)
    {
        var result = await runtime.ExecAsync(sandboxId, ["bash", "-lc", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(s_timeout);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout);
    }
}
