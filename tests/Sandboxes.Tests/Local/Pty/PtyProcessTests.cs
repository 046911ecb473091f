using System.Diagnostics;
using System.Text;
using RemoltBlazor.Sandboxes.Local.Pty;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local.Pty;

public sealed class PtyProcessTests
{
    [Fact]
    public async Task Start_Size_IsTheTerminalsSizeForTheProgram()
    {
        await using var screen = PtyScreen.Start("sh", ["-c", "echo size=$(stty size) cols=$(tput cols)"], new TerminalSize(91, 27));

        await screen.WaitForAsync("size=27 91 cols=91");
        (await screen.Process.WaitForExitAsync(CancellationToken.None).WaitAsync(PtyScreen.Timeout)).ShouldBe(0);
    }

    [Fact]
    public async Task Resize_InteractiveShell_SttyAndTputFollow()
    {
        await using var screen = PtyScreen.Start("sh", ["-i"]);
        await screen.WaitForAsync(PtyScreen.Prompt);

        screen.Process.Resize(new TerminalSize(133, 41));
        await screen.TypeAsync("echo size=$(stty size) cols=$(tput cols)\n");

        await screen.WaitForAsync("size=41 133 cols=133");
    }

    [Fact]
    public async Task Resize_RunningProgram_GetsSigwinch()
    {
        await using var screen = PtyScreen.Start("sh", ["-c", "trap 'echo winch=$(stty size)' WINCH; echo ready; while :; do sleep 0.05; done"]);
        await screen.WaitForAsync("ready");

        screen.Process.Resize(new TerminalSize(100, 30));

        await screen.WaitForAsync("winch=30 100");
    }

    [Fact]
    public async Task Stream_TypedArithmetic_ShellAnswers()
    {
        await using var screen = PtyScreen.Start("sh", ["-i"]);
        await screen.WaitForAsync(PtyScreen.Prompt);

        await screen.TypeAsync("echo $((6*7))\n");

        var echoed = await screen.WaitForAsync("echo $((6*7))");
        await screen.WaitForAsync("\r\n42\r\n", echoed);
    }

    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 7", 7)]
    [InlineData("kill -9 $$", 128 + 9)]
    public async Task WaitForExitAsync_ProgramEnds_ReturnsItsExitCode(string script, int expected)
    {
        await using var screen = PtyScreen.Start("sh", ["-c", script]);

        (await screen.Process.WaitForExitAsync(CancellationToken.None).WaitAsync(PtyScreen.Timeout)).ShouldBe(expected);
    }

    [Fact]
    public async Task Start_MissingProgram_ExitsWith127AndSaysSo()
    {
        await using var screen = PtyScreen.Start("remolt-no-such-program", []);

        (await screen.Process.WaitForExitAsync(CancellationToken.None).WaitAsync(PtyScreen.Timeout)).ShouldBe(127);
        await screen.WaitForAsync("remolt-no-such-program");
    }

    [Fact]
    public async Task Stream_CtrlC_InterruptsTheForegroundProgram()
    {
        await using var screen = PtyScreen.Start("sleep", ["100"]);
        // Ctrl-C before the exec reached sleep would hit the launcher: wait until sleep is the program.
        await Poll.UntilAsync(() => Comm(screen.Process.ProcessId) == "sleep", PtyScreen.Timeout);

        await screen.TypeAsync("\u0003");

        (await screen.Process.WaitForExitAsync(CancellationToken.None).WaitAsync(PtyScreen.Timeout)).ShouldBe(128 + 2);
    }

    [Fact]
    public async Task Start_Program_LeadsItsOwnSessionAndProcessGroup()
    {
        await using var screen = PtyScreen.Start("sleep", ["100"]);
        var pid = screen.Process.ProcessId;
        await Poll.UntilAsync(() => Comm(pid) == "sleep", PtyScreen.Timeout);

        var (group, session, terminal) = Stat(pid);

        (group, session).ShouldBe((pid, pid));
        terminal.ShouldNotBe(0);
    }

    [Fact]
    public async Task Start_Environment_IsExactlyTheGivenOne()
    {
        var environment = PtyScreen.Environment();
        environment["REMOLT_PTY_PROBE"] = "given";
        await using var screen = PtyScreen.Start("env", [], environment: environment);
        await screen.Ended.WaitAsync(PtyScreen.Timeout);

        var names = screen.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('=')[0]).ToHashSet();

        names.ShouldContain("REMOLT_PTY_PROBE");
        names.ShouldNotContain("DOTNET_ROOT");
        names.Except(environment.Keys).Except(["PWD"]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Start_WorkingDirectory_IsTheProgramsCurrentDirectory()
    {
        var folder = Directory.CreateTempSubdirectory("remolt-pty-");
        try
        {
            await using var screen = PtyScreen.Start("pwd", [], workingDirectory: folder.FullName);

            await screen.WaitForAsync(folder.FullName + "\r\n");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Stream_OneMebibyteOfOutput_ReadsThroughWholeThenEnds()
    {
        const int size = 1024 * 1024;
        await using var process = PtyProcess.Start(new PtyStartInfo(
            "sh", ["-c", $"head -c {size} /dev/zero | tr '\\0' a"], PtyScreen.Environment(), "/", new TerminalSize(80, 24)));

        var buffer = new byte[64 * 1024];
        var total = 0;
        int n;
        while ((n = await process.Stream.ReadAsync(buffer).AsTask().WaitAsync(PtyScreen.Timeout)) > 0)
        {
            buffer.AsSpan(0, n).ContainsAnyExcept((byte)'a').ShouldBeFalse();
            total += n;
        }

        total.ShouldBe(size);
        (await process.WaitForExitAsync(CancellationToken.None).WaitAsync(PtyScreen.Timeout)).ShouldBe(0);
    }

    [Fact]
    public async Task Stream_ReadCancelled_LosesNothing()
    {
        await using var process = PtyProcess.Start(new PtyStartInfo(
            "sh", ["-c", "read line; echo got-$line"], PtyScreen.Environment(), "/", new TerminalSize(80, 24)));
        var buffer = new byte[1024];
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Should.ThrowAsync<OperationCanceledException>(async () => _ = await process.Stream.ReadAsync(buffer, cancel.Token));
        }

        await process.Stream.WriteAsync("x\n"u8.ToArray());

        var text = new StringBuilder();
        while (!text.ToString().Contains("got-x", StringComparison.Ordinal))
        {
            var n = await process.Stream.ReadAsync(buffer).AsTask().WaitAsync(PtyScreen.Timeout);
            n.ShouldBeGreaterThan(0, text.ToString());
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    [Fact]
    public async Task DisposeAsync_RunningProgram_KillsItAndWhatItStartedAndEndsTheStream()
    {
        var screen = PtyScreen.Start("sh", ["-c", "trap '' HUP; sleep 100 & echo child=$!; wait"]);
        var end = await screen.WaitForAsync("child=");
        await screen.WaitForAsync("\r\n", end);
        var child = int.Parse(screen.Text[end..].Split("\r\n")[0]);
        var pid = screen.Process.ProcessId;

        await screen.DisposeAsync();

        Alive(pid).ShouldBeFalse();
        await Poll.UntilAsync(() => !Alive(child), PtyScreen.Timeout);
        screen.Ended.IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task DisposeAsync_RightAfterStart_EndsTheProgram()
    {
        // Before the launcher has called setsid there is no process group to signal yet: the pid itself is.
        // (How long that takes is the bench's business, not a unit test's.)
        var process = PtyProcess.Start(new PtyStartInfo("cat", [], PtyScreen.Environment(), "/", new TerminalSize(80, 24)));
        var pid = process.ProcessId;

        await process.DisposeAsync();

        Alive(pid).ShouldBeFalse();
    }

    [Fact]
    public async Task Kill_RunningProgram_EndsItsGroup()
    {
        await using var screen = PtyScreen.Start("sh", ["-c", "sleep 100 & echo started; wait"]);
        await screen.WaitForAsync("started");

        screen.Process.Kill();

        (await screen.Process.WaitForExitAsync(CancellationToken.None).WaitAsync(PtyScreen.Timeout)).ShouldBe(128 + 9);
        await screen.Ended.WaitAsync(PtyScreen.Timeout);
    }

    [Fact]
    public void Start_ProgramNameWithEquals_IsRefused()
    {
        Should.Throw<ArgumentException>(() => PtyProcess.Start(
            new PtyStartInfo("A=B", [], PtyScreen.Environment(), "/", new TerminalSize(80, 24))));
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    // /proc/PID/stat: "pid (comm) state ppid pgrp session tty_nr ..."; comm may hold spaces, so split after ')'.
    private static (int Group, int Session, int Terminal) Stat(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[2]), int.Parse(fields[3]), int.Parse(fields[4]));
    }

    private static bool Alive(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[text.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
