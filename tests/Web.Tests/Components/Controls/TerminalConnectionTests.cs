using System.Text;
using Microsoft.JSInterop;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Components.Controls;

public sealed class TerminalConnectionTests
{
    private const string SignInUrl = "https://claude.ai/oauth/authorize?client_id=abc&state=xyz";

    [Fact]
    public async Task Start_Attached_FitsFocusesAndClearsStatus()
    {
        await using var rig = new TerminalConnectionRig();
        rig.Connection.Status.ShouldBe(TerminalViewStatus.Connecting);

        rig.Start();
        await rig.WaitForStatusAsync(null);

        rig.Screen.Calls.ShouldBe(["load", "show", "fit", "focus"]);
        rig.Screen.Shown.ShouldHaveSingleItem().Window.ShouldBe(2);
        rig.Attacher.Calls.ShouldBe([("s1", "alice", new TerminalAttachOptions(2, new TerminalSize(100, 40)))]);
    }

    [Fact]
    public async Task Output_SignInLink_IsOfferedUntilDismissed()
    {
        await using var rig = new TerminalConnectionRig().Start();
        await rig.WaitForStatusAsync(null);
        var line = Encoding.UTF8.GetBytes($"\e[34m{SignInUrl}\e[0m\r\nPaste code > ");

        rig.Streams[0].Emit(line);
        await rig.WaitForAuthUrlAsync(SignInUrl);
        (await rig.Screen.NextOutputAsync()).ShouldBe(line); // still shown in the terminal too
        await rig.Connection.DismissAuthUrlAsync();

        rig.Connection.AuthUrl.ShouldBeNull();
    }

    [Fact]
    public async Task SendCode_AfterSignInLink_TypesCodeWithEnterAndHidesLink()
    {
        await using var rig = new TerminalConnectionRig().Start();
        await rig.WaitForStatusAsync(null);
        rig.Streams[0].Emit(Encoding.UTF8.GetBytes(SignInUrl + "\n"));
        await rig.WaitForAuthUrlAsync(SignInUrl);

        await rig.Connection.SendCodeAsync("CODE-1234");

        rig.Connection.AuthUrl.ShouldBeNull();
        Encoding.UTF8.GetString(rig.Streams[0].Written.ShouldHaveSingleItem()).ShouldBe("CODE-1234\r");
    }

    [Fact]
    public async Task AttachKeepsFailing_RetriesAfterOneTwoFourEightSixteenThenEverySixteenSeconds()
    {
        await using var rig = new TerminalConnectionRig();
        for (var i = 0; i < 7; i++)
        {
            rig.Then(_ => throw new TerminalAttachException("booting", new IOException()));
        }

        rig.Start();
        var attempts = 1;
        foreach (var delay in new[] { 1, 2, 4, 8, 16, 16 })
        {
            // The countdown shows every second left, and no attempt starts before it reaches zero.
            for (var left = delay; left > 0; left--)
            {
                await rig.Time.NextTimerAsync();
                rig.Connection.Status.ShouldBe(new TerminalViewStatus(TerminalStatusKind.Warn, $"Connection lost (booting). Reconnecting in {left} s…") { CanRetry = true });
                rig.Attacher.Calls.Count.ShouldBe(attempts);
                rig.Time.Advance(TimeSpan.FromSeconds(1));
            }

            attempts++;
        }

        await rig.Time.NextTimerAsync();
        rig.Attacher.Calls.Count.ShouldBe(7);
        rig.Ended.Select(e => e.Reason).ShouldBe(Enumerable.Repeat(TerminalEndReason.AttachFailed, 7));
    }

    [Fact]
    public async Task RetryNow_DuringCountdown_AttachesAtOnce()
    {
        await using var rig = new TerminalConnectionRig().Then(_ => throw new TerminalAttachException("booting", new IOException())).Start();
        await rig.Time.NextTimerAsync();

        rig.Connection.RetryNow();
        await rig.WaitForStatusAsync(null);

        rig.Attacher.Calls.Count.ShouldBe(2);
        rig.Time.HasUnclaimedTimer.ShouldBeFalse();
    }

    [Fact]
    public async Task StreamFails_AfterAttach_CountsDownFromOneSecondAndReattachesWithReset()
    {
        await using var rig = new TerminalConnectionRig().Start();
        await rig.WaitForStatusAsync(null);

        rig.Streams[0].ReadFailure = new IOException("reset by peer");
        rig.Streams[0].Emit([0x41]);
        await rig.Time.NextTimerAsync();
        rig.Connection.Status!.Text.ShouldBe("Connection lost (Connection to the terminal lost). Reconnecting in 1 s…");
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        await rig.WaitForStatusAsync(null);

        // The second attach redraws a cleared screen: tmux sends its history again.
        rig.Screen.Calls.ShouldBe(["load", "show", "fit", "focus", "show", "fit", "reset", "focus"]);
        rig.Ended.ShouldHaveSingleItem().ShouldBe(new TerminalEndedArgs("s1", 2, TerminalEndReason.Failed, "Connection to the terminal lost"));
    }

    [Fact]
    public async Task StreamEnds_SessionStillRunning_ReattachesAtOnce()
    {
        await using var rig = new TerminalConnectionRig().ThenEnded().Start();

        await rig.WaitForStatusAsync(null);
        await rig.WaitForStatusAsync(null);

        rig.Attacher.Calls.Count.ShouldBe(2);
        rig.Screen.Calls.Count(c => c == "reset").ShouldBe(1);
        rig.Time.HasUnclaimedTimer.ShouldBeFalse();
        rig.Ended.ShouldBeEmpty();
    }

    [Fact]
    public async Task StreamEnds_SessionGone_ShowsSessionEndedAndStops()
    {
        await using var rig = new TerminalConnectionRig().ThenEnded().Then(_ => throw new SessionNotFoundException()).Start();

        (await rig.NextEndedAsync()).Reason.ShouldBe(TerminalEndReason.Ended);
        rig.Time.Advance(TimeSpan.FromMinutes(1));

        rig.Connection.Status.ShouldBe(new TerminalViewStatus(TerminalStatusKind.Warn, "Session ended"));
        rig.Screen.Calls[^1].ShouldBe("status:● Session ended");
        rig.Ended.Count.ShouldBe(1);
        rig.Attacher.Calls.Count.ShouldBe(2);
    }

    [Fact]
    public async Task FirstAttach_Refused_ShowsWhyWithoutRetry()
    {
        await using var rig = new TerminalConnectionRig()
            .Then(_ => throw new SessionNotFoundException())
            .Start();

        (await rig.NextEndedAsync()).Reason.ShouldBe(TerminalEndReason.NotFound);

        rig.Connection.Status.ShouldBe(new TerminalViewStatus(TerminalStatusKind.Error, "Session not found"));
        rig.Ended.Count.ShouldBe(1);
        rig.Time.HasUnclaimedTimer.ShouldBeFalse();
    }

    [Fact]
    public async Task BrowserConnectionDrops_WaitsForItThenReattachesAtOnce()
    {
        await using var rig = new TerminalConnectionRig().Start();
        await rig.WaitForStatusAsync(null);

        await rig.Tracker.OnConnectionDownAsync(null!, CancellationToken.None);

        (await rig.NextEndedAsync()).Detail.ShouldBe("connection to the browser lost");
        rig.Attacher.Calls.Count.ShouldBe(1);
        await rig.Tracker.OnConnectionUpAsync(null!, CancellationToken.None);
        await rig.WaitForStatusAsync(null);

        rig.Attacher.Calls.Count.ShouldBe(2);
        rig.Time.HasUnclaimedTimer.ShouldBeFalse();
        rig.Streams[0].IsDisposed.ShouldBeTrue();
    }

    [Fact]
    public async Task Start_ScriptDoesNotLoad_ShowsAttachFailedWithoutAttaching()
    {
        await using var rig = new TerminalConnectionRig();
        rig.Screen.LoadFailure = new JSException("import failed");

        rig.Start();
        await rig.WaitForStatusAsync("Attach failed: the terminal could not start in the browser");

        rig.Attacher.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Open_TooManyTerminalsInTheTab_RetriesWithTheReason()
    {
        await using var rig = new TerminalConnectionRig();
        for (var i = 0; i < CircuitTerminalService.MaxTerminalsPerCircuit; i++)
        {
            rig.Terminals.Open("other", "alice", 0);
        }

        rig.Start();
        await rig.Time.NextTimerAsync();

        rig.Connection.Status!.Text.ShouldBe("Connection lost (At most 16 terminals per browser tab.). Reconnecting in 1 s…");
    }

    [Fact]
    public async Task Dispose_DuringCountdown_StopsRetryingAndReleasesTheScreen()
    {
        var rig = new TerminalConnectionRig().Then(_ => throw new TerminalAttachException("booting", new IOException())).Start();
        await rig.Time.NextTimerAsync();

        await rig.DisposeAsync();
        rig.Time.Advance(TimeSpan.FromMinutes(1));

        rig.Attacher.Calls.Count.ShouldBe(1);
        rig.Screen.Calls[^1].ShouldBe("dispose");
        rig.Ended.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Dispose_WhileAttached_ClosesTheTtyWithoutEnding()
    {
        var rig = new TerminalConnectionRig().Start();
        await rig.WaitForStatusAsync(null);

        await rig.DisposeAsync();

        rig.Streams[0].IsDisposed.ShouldBeTrue();
        rig.Terminals.Count.ShouldBe(0);
        rig.Ended.ShouldBeEmpty();
        rig.Screen.Calls[^1].ShouldBe("dispose");
    }
}
