using System.Diagnostics;
using System.Text;
using RemoltBlazor.Sandboxes.Docker.Build;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Images;

/// <summary>
/// The server's image hashes against container/build-lib.sh's on the same inputs: the script's functions are run by
/// bash on the repository's files, the server's on the files embedded in the assembly. Equal hashes are what lets an
/// image the script built count as up to date for the server, and the other way round.
/// </summary>
public sealed class BuildHashTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("remolt-build-hash-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("ubuntu:24.04", "4.139.1", "release", "")]
    [InlineData("remolt-test-base:bookworm", "", "release", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")]
    [InlineData("debian:bookworm", "4.139.1", "npm", "no newline at the end")]
    public async Task BaseHash_SameInputs_SameAsTheScript(string baseImage, string codeServer, string source, string extraCa)
    {
        var container = Path.Combine(SandboxImage.FindRepoRoot(), "container");
        var context = Path.Combine(_folder, "base");
        Directory.CreateDirectory(context);
        foreach (var file in SandboxBuildFiles.BaseFiles)
        {
            File.Copy(Path.Combine(container, file), Path.Combine(context, file));
        }

        await File.WriteAllTextAsync(Path.Combine(context, "extra-ca.crt"), extraCa);

        var script = await ScriptAsync($"base_build_hash {Q(context)} {Q(baseImage)} {Q(codeServer)} {Q(source)} " +
            string.Join(' ', SandboxBuildFiles.BaseFiles.Append("extra-ca.crt").Select(Q)));

        var server = SandboxBuildFiles.BaseHash(SandboxBuildFiles.BaseContext(Encoding.UTF8.GetBytes(extraCa)), baseImage, codeServer, source);
        server.ShouldBe(script);
        server.Length.ShouldBe(64);
    }

    [Theory]
    [InlineData("{ \"id\": \"a\", \"install\": \"echo hi\" }\n", "")]
    [InlineData("{ \"id\": \"a\" }", "set -eu\nnpm i -g something\n")]
    public async Task AgentHash_SameInputs_SameAsTheScript(string agentJson, string installScript)
    {
        var context = Path.Combine(_folder, "agent");
        Directory.CreateDirectory(context);
        File.Copy(Path.Combine(SandboxImage.FindRepoRoot(), "container", "Dockerfile.agent"), Path.Combine(context, "Dockerfile.agent"));
        await File.WriteAllTextAsync(Path.Combine(context, "install.sh"), installScript);
        var file = Path.Combine(_folder, "agent.json");
        await File.WriteAllTextAsync(file, agentJson);
        const string baseId = "sha256:20718573ded477693554317f2cfaca2e7c8f17cf5f6967915c8bf01d1eba74d8";

        var script = await ScriptAsync($"agent_build_hash {Q(context)} {Q(file)} {Q(baseId)}");

        SandboxBuildFiles.AgentHash(SandboxBuildFiles.Read("Dockerfile.agent"), Encoding.UTF8.GetBytes(agentJson), Encoding.UTF8.GetBytes(installScript), baseId)
            .ShouldBe(script);
    }

    [Fact]
    public void Read_EveryEmbeddedFile_IsTheRepositorysBytes()
    {
        var container = Path.Combine(SandboxImage.FindRepoRoot(), "container");
        foreach (var file in SandboxBuildFiles.BaseFiles.Append(SandboxBuildFiles.AgentDockerfile))
        {
            SandboxBuildFiles.Read(file).ShouldBe(File.ReadAllBytes(Path.Combine(container, file)), file);
        }
    }

    [Fact]
    public void CountSteps_Dockerfiles_CountsInstructionsNotContinuationsOrComments()
    {
        SandboxBuildFiles.CountSteps(Encoding.UTF8.GetBytes("# c\nARG A=1\nFROM x\n\nRUN a \\\n  # inside\n  && b\nENV A=1 \\\n    B=2\n")).ShouldBe(4);
        SandboxBuildFiles.CountSteps(SandboxBuildFiles.Read("Dockerfile.agent")).ShouldBe(11);
    }

    private static string Q(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task<string> ScriptAsync(string call)
    {
        var lib = Path.Combine(SandboxImage.FindRepoRoot(), "container", "build-lib.sh");
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"set -euo pipefail; . {Q(lib)}; {call}");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.ExitCode.ShouldBe(0, await stderr);
        return (await stdout).Trim();
    }
}
