using System.Security.Cryptography;
using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

public sealed class DockerRuntimeTerminalTests : IClassFixture<DockerSandboxFixture>
{
    private readonly DockerSandboxFixture _sandbox;

    public DockerRuntimeTerminalTests(DockerSandboxFixture sandbox) => _sandbox = sandbox;

    [DockerFact]
    public async Task AttachTerminalAsync_TypeArithmetic_ShowsResult()
    {
        await using var terminal = await AttachAsync(window: 1);

        await terminal.SendAsync("echo calc-$((6*7))-done\r");

        await terminal.WaitForAsync("calc-42-done");
    }

    [DockerFact]
    public async Task ResizeAsync_To100x40_TputColsPrints100()
    {
        await using var terminal = await AttachAsync(window: 2);

        await terminal.Terminal.ResizeAsync(new TerminalSize(100, 40), CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
        await terminal.RepeatUntilAsync("echo size-$(tput cols)x$(tput lines)\r", "size-100x40");
    }

    [DockerFact]
    public async Task AttachTerminalAsync_InitialSize_IsApplied()
    {
        await using var terminal = await AttachAsync(window: 3, columns: 132, rows: 43);

        await terminal.RepeatUntilAsync("echo init-$(tput cols)x$(tput lines)\r", "init-132x43");
    }

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

    [DockerFact]
    public async Task DisposeAsync_ThenReattach_ShowsEarlierOutputAndDetachedClient()
    {
        var first = await AttachAsync(window: 4);
        await first.SendAsync("echo keep-$((40+2))-me\r");
        await first.WaitForAsync("keep-42-me");
        await first.DisposeAsync();

        // Only the tmux client went away: the session (and its screen) is still there.
        var clients = await ExecTextAsync("tmux list-clients -t main-4 2>/dev/null | wc -l");
        clients.Trim().ShouldBe("0");

        await using var second = await AttachAsync(window: 4);
        await second.WaitForAsync("keep-42-me");
    }

    [DockerFact]
    public async Task AttachTerminalAsync_TwoAttachments_BothSeeSameOutput()
    {
        await using var a = await AttachAsync(window: 5);
        await using var b = await AttachAsync(window: 5);
        await a.WaitForAsync("$");
        await b.WaitForAsync("$");

        await a.SendAsync("echo shared-$((3*5))-out\r");

        await a.WaitForAsync("shared-15-out");
        await b.WaitForAsync("shared-15-out");
        (await ExecTextAsync("tmux list-clients -t main-5 | wc -l")).Trim().ShouldBe("2");
    }

    [DockerFact]
    public async Task WriteAsync_CtrlP_ReachesReadlineHistory()
    {
        await using var terminal = await AttachAsync(window: 6);
        await terminal.SendAsync("echo hist-$((2*4))-x\r");
        var after = await terminal.WaitForAsync("hist-8-x");

        // Ctrl-P is Docker's default detach prefix, which the engine would hold back until the next key: bash must
        // recall the previous command before anything else is typed.
        await terminal.SendAsync("\u0010");
        var recalled = await terminal.WaitForAsync("hist-$((2*4))-x", from: after, timeout: TimeSpan.FromSeconds(3));
        await terminal.SendAsync("\r");

        await terminal.WaitForAsync("hist-8-x", from: recalled);
    }

    [DockerFact]
    public async Task ReadAsync_Cancelled_TerminalKeepsWorking()
    {
        var terminal = await _sandbox.Runtime.AttachTerminalAsync(_sandbox.SandboxId, new TerminalAttachOptions(Window: 8), CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        await using var reader = new TerminalReader(terminal, cancelReadsEvery: TimeSpan.FromMilliseconds(50));
        await Task.Delay(300);

        await reader.SendAsync("echo after-$((1+1))-cancel\r");

        await reader.WaitForAsync("after-2-cancel");
    }

    [DockerFact]
    public async Task DisposeAsync_Twice_DoesNotThrow()
    {
        var terminal = await _sandbox.Runtime.AttachTerminalAsync(_sandbox.SandboxId, new TerminalAttachOptions(Window: 7), CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);

        await terminal.DisposeAsync().AsTask().WaitAsync(DockerTestEngine.Timeout);
        await terminal.DisposeAsync().AsTask().WaitAsync(DockerTestEngine.Timeout);

        (await terminal.ReadAsync(new byte[16], CancellationToken.None).AsTask().WaitAsync(DockerTestEngine.Timeout)).ShouldBe(0);
    }

    [DockerFact]
    public async Task ExecAsync_CatOneMegabyte_RoundTripsStdin()
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);

        var result = await _sandbox.Runtime.ExecAsync(_sandbox.SandboxId, ["cat"], data, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldBe(data);
        result.Truncated.ShouldBeFalse();
    }

    [DockerFact]
    public async Task ExecAsync_StderrAndExitCode_AreSeparated()
    {
        var result = await _sandbox.Runtime.ExecAsync(
            _sandbox.SandboxId, ["sh", "-c", "echo out; echo err >&2; whoami; exit 7"], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);

        result.ExitCode.ShouldBe(7);
        System.Text.Encoding.UTF8.GetString(result.Stdout).ShouldBe("out\ndev\n");
        System.Text.Encoding.UTF8.GetString(result.Stderr).ShouldBe("err\n");
    }

    [DockerFact]
    public async Task ExecAsync_TarFromStdin_SeesEndOfInput()
    {
        var tar = await CreateTarGzAsync();

        var result = await _sandbox.Runtime.ExecAsync(
            _sandbox.SandboxId, ["sh", "-c", "mkdir -p /tmp/untar && tar xzf - -C /tmp/untar && cat /tmp/untar/hello.txt"], tar, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);

        result.ExitCode.ShouldBe(0, System.Text.Encoding.UTF8.GetString(result.Stderr));
        System.Text.Encoding.UTF8.GetString(result.Stdout).ShouldBe("hello from tar\n");
    }

    [DockerFact]
    public async Task ExecAsync_OutputOverCap_TruncatesAndFlags()
    {
        var result = await _sandbox.Runtime.ExecAsync(
            _sandbox.SandboxId, ["sh", "-c", "head -c 20000000 /dev/zero"], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);

        result.ExitCode.ShouldBe(0);
        result.Truncated.ShouldBeTrue();
        result.Stdout.Length.ShouldBe(16 * 1024 * 1024);
    }

    [DockerFact]
    public async Task ExecAsync_StderrOverCap_TruncatesStderrAndKeepsStdoutWhole()
    {
        var result = await _sandbox.Runtime.ExecAsync(
            _sandbox.SandboxId, ["sh", "-c", "head -c 20000000 /dev/zero >&2; echo out"], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);

        result.ExitCode.ShouldBe(0);
        result.Truncated.ShouldBeTrue();
        result.Stderr.Length.ShouldBe(16 * 1024 * 1024);
        System.Text.Encoding.UTF8.GetString(result.Stdout).ShouldBe("out\n");
    }

    [DockerFact]
    public async Task ExecAsync_UnknownSandbox_ThrowsSandboxNotFound()
    {
        await Should.ThrowAsync<SandboxNotFoundException>(
            _sandbox.Runtime.ExecAsync($"remolt-t-missing-{Guid.NewGuid():N}", ["true"], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
                .WaitAsync(DockerTestEngine.Timeout));
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

    private static async Task<byte[]> CreateTarGzAsync()
    {
        using var output = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new System.Formats.Tar.TarWriter(gzip))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream("hello from tar\n"u8.ToArray()),
            };
            await tar.WriteEntryAsync(entry);
        }

        return output.ToArray();
    }
}
