using System.Diagnostics;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local.Pty;

/// <summary>The local runtime's terminal is a tmux client on a PTY: real tmux, on its own socket in a temp folder.</summary>
public sealed class PtyTmuxTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("remolt-pty-tmux-");

    private string Socket => Path.Combine(_folder.FullName, "tmux.sock");

    [Fact]
    public async Task Tmux_AttachDetachReattach_ShowsEarlierOutputAndFollowsResizes()
    {
        var environment = PtyScreen.Environment(home: _folder.FullName);
        await using (var first = PtyScreen.Start("tmux", ["-S", Socket, "new-session", "-A", "-s", "main"],
                         new TerminalSize(100, 30), environment, _folder.FullName))
        {
            // The pane's login shell may replace PS1 (/etc/profile), so wait for what commands print, not for a prompt.
            await first.TypeAsync("echo marker-$((40+2)) cols=$(tput cols)\n");
            await first.WaitForAsync("marker-42 cols=100");

            // tmux ignores a prefix key that arrives with other input: let the screen settle, then C-b, then d.
            await Task.Delay(300);
            await first.TypeAsync("\u0002");
            await Task.Delay(100);
            await first.TypeAsync("d");

            await first.WaitForAsync("[detached");
            (await first.Process.WaitForExitAsync(CancellationToken.None).WaitAsync(PtyScreen.Timeout)).ShouldBe(0);
        }

        await using (var second = PtyScreen.Start("tmux", ["-S", Socket, "attach-session", "-t", "main"],
                         new TerminalSize(90, 20), environment, _folder.FullName))
        {
            await second.WaitForAsync("marker-42 cols=100");
            await second.TypeAsync("echo again-$((1+1)) cols=$(tput cols)\n");
            await second.WaitForAsync("again-2 cols=90");

            second.Process.Resize(new TerminalSize(120, 30));

            // tmux passes a client's new size on to its panes' terminals on a timer of its own: ask until it has.
            await Poll.UntilAsync(async () =>
            {
                await second.TypeAsync("echo resized-$((2+1)) cols=$(tput cols)\n");
                await Task.Delay(250);
                return second.Text.Contains("resized-3 cols=120", StringComparison.Ordinal);
            }, PtyScreen.Timeout);
        }

        // Disposing an attached client hangs it up; the session (and what runs in it) stays for the next attach.
        (await TmuxAsync("has-session", "-t", "main")).ExitCode.ShouldBe(0);
    }

    public void Dispose()
    {
        TmuxAsync("kill-server").Wait(PtyScreen.Timeout);
        _folder.Delete(recursive: true);
    }

    private async Task<(int ExitCode, string Output)> TmuxAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-S");
        start.ArgumentList.Add(Socket);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync().WaitAsync(PtyScreen.Timeout);
        await process.WaitForExitAsync().WaitAsync(PtyScreen.Timeout);
        return (process.ExitCode, await output);
    }
}
