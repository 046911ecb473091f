using System.Text;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>
/// A user (or an agent re-cloning) deletes <c>~/workspace</c>, the image's WORKDIR: terminals and commands must still
/// start (Docker fails an exec whose working folder is missing), in home until the folder is back.
/// </summary>
public sealed class DeletedWorkspaceTests : IClassFixture<DockerSandboxFixture>
{
    private readonly DockerSandboxFixture _sandbox;

    public DeletedWorkspaceTests(DockerSandboxFixture sandbox) => _sandbox = sandbox;

    [DockerFact]
    public async Task WorkspaceDeleted_TerminalsAndCommandsStillStart_NewSessionsUseItOnceBack()
    {
        (await ExecTextAsync("rm -rf ~/workspace && echo gone")).ShouldBe("gone\n");

        await using (var terminal = await AttachAsync(window: 1))
        {
            await terminal.SendAsync("echo at-$(pwd)-now\r");
            await terminal.WaitForAsync("at-/home/dev-now");
        }

        await using (var process = await _sandbox.Runtime.StartProcessAsync(_sandbox.SandboxId, ["pwd"], CancellationToken.None))
        {
            using var output = new MemoryStream();
            await process.Output.CopyToAsync(output).WaitAsync(DockerTestEngine.Timeout);
            Encoding.UTF8.GetString(output.ToArray()).ShouldBe("/home/dev\n");
        }

        await ExecTextAsync("mkdir ~/workspace");
        await using var again = await AttachAsync(window: 2);
        await again.SendAsync("echo at-$(pwd)-now\r");
        await again.WaitForAsync("at-/home/dev/workspace-now");
    }

    private async Task<TerminalReader> AttachAsync(int window)
    {
        var stream = await _sandbox.Runtime.AttachTerminalAsync(_sandbox.SandboxId, new TerminalAttachOptions(window, new TerminalSize(120, 30)), CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        return new TerminalReader(stream);
    }

    private async Task<string> ExecTextAsync(string script)
    {
        var result = await _sandbox.Runtime.ExecAsync(_sandbox.SandboxId, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout);
    }
}
