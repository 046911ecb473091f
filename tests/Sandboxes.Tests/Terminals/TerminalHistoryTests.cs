using System.Text;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;

namespace RemoltBlazor.Sandboxes.Tests.Terminals;

public sealed class TerminalHistoryTests
{
    [Fact]
    public void Render_CapturedLines_EndsEachWithResetCrLfAndScrollsThemOffTheScreen()
    {
        var rendered = Encoding.UTF8.GetString(TerminalHistory.Render("one\n\u001b[31mtwo\n\n\n"u8, rows: 3));

        rendered.ShouldBe("one\u001b[0m\r\n\u001b[31mtwo\u001b[0m\r\n\r\n\r\n\r\n");
    }

    [Fact]
    public void Render_NothingCaptured_IsEmpty()
    {
        TerminalHistory.Render("\n  \n"u8, rows: 30).ShouldBeEmpty();
    }

    [Fact]
    public void Render_HugeHistory_KeepsNewestWithinCapFromALineStart()
    {
        var lines = string.Join("\n", Enumerable.Range(0, 40_000).Select(i => $"line-{i:D6}-{new string('x', 40)}"));

        var rendered = TerminalHistory.Render(Encoding.UTF8.GetBytes(lines), rows: 10);

        rendered.Length.ShouldBeLessThanOrEqualTo(TerminalHistory.MaxBytes);
        var text = Encoding.UTF8.GetString(rendered);
        text.ShouldStartWith("line-");
        text.ShouldContain("line-039999-");
    }

    [Fact]
    public void AttachScript_WithHistoryBuffer_CapturesInTheSameTmuxCommandList()
    {
        var script = TmuxCommands.AttachScript(new TerminalAttachOptions(2) { HistoryBuffer = "remolt-hist-ab" }, "/tmp/.m");

        script.ShouldContain("; tty > /tmp/.m; cd ~/workspace 2>/dev/null || cd ~; exec tmux new-session -A -s main-2 \\; capture-pane");
        script.ShouldContain("-t '=main-2:' -b remolt-hist-ab \\; set-buffer -b remolt-hist-ab-ready 1");
    }

    [Fact]
    public void IsActive_TmuxActivityMoved_CountsEvenWithoutCpu()
    {
        var before = SandboxActivityProbe.Parse("tmux 100\ntmux 90\ncpu_us 1000", 0);
        var after = SandboxActivityProbe.Parse("tmux 101\ncpu_us 1000", 1);

        SandboxActivityProbe.IsActive(before, after, cpuPercent: 1).ShouldBeTrue();
    }

    [Fact]
    public void IsActive_OnlyTheProbesOwnCpu_IsIdle()
    {
        var before = SandboxActivityProbe.Parse("tmux 100\ncpu_us 1000000", System.Diagnostics.Stopwatch.GetTimestamp());
        var after = SandboxActivityProbe.Parse("tmux 100\ncpu_us 1015000", before.Timestamp + System.Diagnostics.Stopwatch.Frequency);

        SandboxActivityProbe.IsActive(before, after, cpuPercent: 1).ShouldBeFalse();
    }

    [Fact]
    public void IsActive_BusyCpu_CountsAsWork()
    {
        var before = SandboxActivityProbe.Parse("cpu_us 0", 0);
        var after = SandboxActivityProbe.Parse("cpu_us 500000", System.Diagnostics.Stopwatch.Frequency);

        SandboxActivityProbe.IsActive(before, after, cpuPercent: 1).ShouldBeTrue();
    }

    [Fact]
    public void Parse_Garbage_IsIgnored()
    {
        var sample = SandboxActivityProbe.Parse("tmux x\nnoise\ncpu_us -5\n", 7);

        sample.TmuxActivity.ShouldBe(0);
        sample.CpuMicroseconds.ShouldBeNull();
    }
}
