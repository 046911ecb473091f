using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>
/// AttachTerminalAsync: a TTY on tmux session main / main-N of the shared sandbox; each test has a window of its own.
/// </summary>
public abstract partial class SandboxRuntimeContractTests<THost>
{
    [RuntimeContractFact]
    public async Task AttachTerminalAsync_TypeArithmetic_ShowsResult()
    {
        await using var terminal = await AttachAsync(await SharedSandboxAsync(), window: 12);

        await terminal.SendAsync("echo calc-$((6*7))-done\r");

        await terminal.WaitForAsync("calc-42-done");
    }

    [RuntimeContractFact]
    public async Task ResizeAsync_To100x40_TputColsAndSttySizeFollow()
    {
        await using var terminal = await AttachAsync(await SharedSandboxAsync(), window: 2);

        await terminal.Terminal.ResizeAsync(new TerminalSize(100, 40), CancellationToken.None).WaitAsync(Timeout);
        await terminal.RepeatUntilAsync("echo size-$(tput cols)x$(tput lines)\r", "size-100x40");
        await terminal.RepeatUntilAsync("echo stty-$(stty size | tr ' ' x)\r", "stty-40x100");
    }

    [RuntimeContractFact]
    public async Task AttachTerminalAsync_InitialSize_IsApplied()
    {
        await using var terminal = await AttachAsync(await SharedSandboxAsync(), window: 3, columns: 132, rows: 43);

        await terminal.RepeatUntilAsync("echo init-$(tput cols)x$(tput lines)\r", "init-132x43");
    }

    [RuntimeContractFact]
    public async Task AttachTerminalAsync_MainAndMain1_AreIndependentSessions()
    {
        var sandboxId = await SharedSandboxAsync();
        await using var main = await AttachAsync(sandboxId, window: 0);
        await using var other = await AttachAsync(sandboxId, window: 1);

        await main.SendAsync("echo in-$(tmux display-message -p '#S')-end\r");
        await other.SendAsync("echo in-$(tmux display-message -p '#S')-end\r");

        await main.WaitForAsync("in-main-end");
        await other.WaitForAsync("in-main-1-end");
        main.Text.ShouldNotContain("in-main-1-end");
        other.Text.ShouldNotContain("in-main-end");
    }

    [RuntimeContractFact]
    public async Task DisposeAsync_ThenReattach_ShowsEarlierOutputAndDetachedClient()
    {
        var sandboxId = await SharedSandboxAsync();
        var first = await AttachAsync(sandboxId, window: 4);
        await first.SendAsync("echo keep-$((40+2))-me\r");
        await first.WaitForAsync("keep-42-me");
        await first.DisposeAsync();

        // Only the tmux client went away: the session (and its screen) is still there.
        (await ShAsync(sandboxId, "tmux list-clients -t main-4 2>/dev/null | wc -l")).Trim().ShouldBe("0");

        await using var second = await AttachAsync(sandboxId, window: 4);
        await second.WaitForAsync("keep-42-me");
    }

    [RuntimeContractFact]
    public async Task Reattach_WithHistoryBuffer_TerminalHistoryHasTheLinesAboveTheScreen()
    {
        var sandboxId = await SharedSandboxAsync();
        await using (var first = await AttachAsync(sandboxId, window: 15, columns: 100, rows: 20))
        {
            await first.SendAsync("seq -f 'scrolled-%g-line' 1 150\r");
            await first.WaitForAsync("scrolled-150-line");
        }

        var buffer = Sandboxes.Terminals.TerminalHistory.NewBufferName();
        await using var second = await AttachAsync(sandboxId, new TerminalAttachOptions(15, new TerminalSize(100, 20)) { HistoryBuffer = buffer });
        var history = System.Text.Encoding.UTF8.GetString(
            await Sandboxes.Terminals.TerminalHistory.ReadAsync(Runtime, sandboxId, buffer, rows: 20, CancellationToken.None).WaitAsync(Timeout));

        // Line 5 scrolled off the 20-row screen long ago; only the history brings it back.
        history.ShouldContain("scrolled-5-line\u001b[0m\r\n");
        history.ShouldContain("scrolled-120-line");
        await second.WaitForAsync("scrolled-150-line");
        (await ShAsync(sandboxId, $"tmux list-buffers -F '#{{buffer_name}}' | grep -c {buffer} || true")).Trim().ShouldBe("0");
    }

    [RuntimeContractFact]
    public async Task AttachTerminalAsync_TwoAttachments_BothSeeSameOutput()
    {
        var sandboxId = await SharedSandboxAsync();
        await using var a = await AttachAsync(sandboxId, window: 5);
        await using var b = await AttachAsync(sandboxId, window: 5);
        await a.WaitForAsync("$");
        await b.WaitForAsync("$");

        await a.SendAsync("echo shared-$((3*5))-out\r");

        await a.WaitForAsync("shared-15-out");
        await b.WaitForAsync("shared-15-out");
        (await ShAsync(sandboxId, "tmux list-clients -t main-5 | wc -l")).Trim().ShouldBe("2");
    }

    [RuntimeContractFact]
    public async Task ReadOnlyAttach_CannotTypeNorResize_AndCreatesNoSession()
    {
        var sandboxId = await SharedSandboxAsync();
        await using var owner = await AttachAsync(sandboxId, window: 14, columns: 120, rows: 30);
        await owner.SendAsync("echo owner-$((2+3))-here\r");
        await owner.WaitForAsync("owner-5-here");

        await using var watcher = await AttachAsync(sandboxId, new TerminalAttachOptions(14, new TerminalSize(50, 10)) { ReadOnly = true });
        await watcher.WaitForAsync("owner-5-here");
        // Read before the owner types again: the owner's next key would make its size the latest anyway.
        await Task.Delay(300);
        (await ShAsync(sandboxId, "tmux display-message -p -t '=main-14:' '#{window_width}x#{window_height}'")).Trim().ShouldBe("120x30");
        await watcher.SendAsync("echo watcher-$((4+4))-typed\r");
        await owner.SendAsync("echo after-$((1+6))-watch\r");

        await watcher.WaitForAsync("after-7-watch");
        await owner.RepeatUntilAsync("echo still-$(tput cols)x$(tput lines)\r", "still-120x30");
        owner.Text.ShouldNotContain("watcher-8-typed");

        // A watcher attaches only to a terminal that exists: it starts no tmux session of its own.
        await using (await AttachAsync(sandboxId, new TerminalAttachOptions(31) { ReadOnly = true }))
        {
            await Task.Delay(500);
        }

        (await ExecAsync(sandboxId, ["tmux", "has-session", "-t", "=main-31"])).ExitCode.ShouldNotBe(0);
    }

    [RuntimeContractFact]
    public async Task AttachTerminalAsync_TermIsXterm256ForTheClientAndTmuxInThePane()
    {
        var sandboxId = await SharedSandboxAsync();
        await using var terminal = await AttachAsync(sandboxId, window: 16);

        await terminal.SendAsync("echo term-$TERM-end\r");

        await terminal.WaitForAsync("term-tmux-256color-end");
        (await ShAsync(sandboxId, "tmux list-clients -t '=main-16' -F '#{client_termname}'")).Trim().ShouldBe("xterm-256color");
    }

    [RuntimeContractFact]
    public async Task ProcessInATerminal_SurvivesTheDetachOfEveryTerminal()
    {
        var sandboxId = await SharedSandboxAsync();
        var marker = $"/tmp/alive-{Guid.NewGuid():N}";
        await using (var terminal = await AttachAsync(sandboxId, window: 13))
        {
            await terminal.SendAsync($"while sleep 0.2; do date +%s%N > {marker}; done\r");
            await ShAsync(sandboxId, $"for i in $(seq 50); do [ -s {marker} ] && exit 0; sleep 0.1; done; exit 1");
        }

        (await ShAsync(sandboxId, "tmux list-clients | wc -l")).Trim().ShouldBe("0");
        var before = await ShAsync(sandboxId, $"cat {marker}");
        await Task.Delay(1000);
        (await ShAsync(sandboxId, $"cat {marker}")).ShouldNotBe(before);
        await ShAsync(sandboxId, "tmux kill-session -t '=main-13'");
    }

    [RuntimeContractFact]
    public async Task WriteAsync_CtrlP_ReachesReadlineHistory()
    {
        await using var terminal = await AttachAsync(await SharedSandboxAsync(), window: 6);
        await terminal.SendAsync("echo hist-$((2*4))-x\r");
        var after = await terminal.WaitForAsync("hist-8-x");

        // Ctrl-P is Docker's default detach prefix, which the engine would hold back until the next key: bash must
        // recall the previous command before anything else is typed.
        await terminal.SendAsync("\u0010");
        var recalled = await terminal.WaitForAsync("hist-$((2*4))-x", from: after, timeout: TimeSpan.FromSeconds(3));
        await terminal.SendAsync("\r");

        await terminal.WaitForAsync("hist-8-x", from: recalled);
    }

    [RuntimeContractFact]
    public async Task ReadAsync_Cancelled_TerminalKeepsWorking()
    {
        var terminal = await Runtime.AttachTerminalAsync(await SharedSandboxAsync(), new TerminalAttachOptions(Window: 8), CancellationToken.None).WaitAsync(Timeout);
        await using var reader = new TerminalReader(terminal, cancelReadsEvery: TimeSpan.FromMilliseconds(50), timeout: Timeout);
        await Task.Delay(300);

        await reader.SendAsync("echo after-$((1+1))-cancel\r");

        await reader.WaitForAsync("after-2-cancel");
    }

    [RuntimeContractFact]
    public async Task DisposeAsync_Twice_DoesNotThrow()
    {
        var terminal = await Runtime.AttachTerminalAsync(await SharedSandboxAsync(), new TerminalAttachOptions(Window: 7), CancellationToken.None).WaitAsync(Timeout);

        await terminal.DisposeAsync().AsTask().WaitAsync(Timeout);
        await terminal.DisposeAsync().AsTask().WaitAsync(Timeout);

        (await terminal.ReadAsync(new byte[16], CancellationToken.None).AsTask().WaitAsync(Timeout)).ShouldBe(0);
    }
}
