using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>
/// Docker's own terminal plumbing (the exec's TTY, its late resize). What every runtime's terminal does is the runtime
/// contract's (Contract/SandboxRuntimeContractTests.Terminal.cs).
/// </summary>
public sealed class DockerRuntimeTerminalTests : IClassFixture<DockerSandboxFixture>
{
    private readonly DockerSandboxFixture _sandbox;

    public DockerRuntimeTerminalTests(DockerSandboxFixture sandbox) => _sandbox = sandbox;

    [DockerFact]
    public async Task AttachScript_ResizeLandsLate_TmuxClientStillStartsAtThatSize()
    {
        // An exec's TTY is 0x0 until its first resize; a tmux client started before that attaches at 80x24, which
        // reflows the window for every client of the session (4 of 12 browser attaches did). tmux records each
        // attach's client size through a hook, and the resize here comes 300 ms after the exec started.
        await (await AttachAsync(window: 9)).DisposeAsync();
        await ExecTextAsync("rm -f /tmp/attach-sizes; tmux set-hook -g client-attached 'run-shell \"echo #{client_width}x#{client_height} >> /tmp/attach-sizes\"'");
        using var engine = DockerTestEngine.Engine();
        var exec = new DockerExec(engine, TimeProvider.System);
        var marker = $"/tmp/.remolt-client-late-{Guid.NewGuid():N}";
        var parameters = DockerExec.TerminalParameters(["bash", "-lc", TmuxCommands.AttachScript(new TerminalAttachOptions(Window: 9), marker)]);
        try
        {
            var execId = await exec.CreateAsync(_sandbox.SandboxId, parameters, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
            using var stream = await exec.StartAsync(execId, tty: true, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
            await Task.Delay(300);
            await exec.ResizeAsync(execId, new TerminalSize(148, 46), CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

            var sizes = "";
            for (var i = 0; i < 50 && sizes.Length == 0; i++)
            {
                await Task.Delay(100);
                sizes = (await ExecTextAsync("cat /tmp/attach-sizes 2>/dev/null")).Trim();
            }

            sizes.ShouldBe("148x46");
        }
        finally
        {
            await ExecTextAsync($"tmux set-hook -gu client-attached; {TmuxCommands.DetachScript(marker)}");
        }
    }

    private async Task<TerminalReader> AttachAsync(int window, int columns = 120, int rows = 30)
    {
        var stream = await _sandbox.Runtime.AttachTerminalAsync(_sandbox.SandboxId, new TerminalAttachOptions(window, new TerminalSize(columns, rows)), CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        return new TerminalReader(stream);
    }

    private async Task<string> ExecTextAsync(string script)
    {
        var result = await _sandbox.Runtime.ExecAsync(_sandbox.SandboxId, ["sh", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        return System.Text.Encoding.UTF8.GetString(result.Stdout);
    }
}
