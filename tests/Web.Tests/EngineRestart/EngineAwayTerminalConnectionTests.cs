using RemoltBlazor.TestSupport;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Realtime.Circuit;
using RemoltBlazor.Web.Tests.Components.Controls;

namespace RemoltBlazor.Web.Tests.EngineRestart;

/// <summary>The workspace terminal's loop while the sandbox engine restarts, on a fake clock and a scripted attacher.</summary>
public sealed class EngineAwayTerminalConnectionTests
{
    [Fact]
    public async Task StreamEndsThenEngineAway_SaysReconnectingToTheEngineWithBackoffThenReattaches()
    {
        await using var rig = new TerminalConnectionRig().ThenEnded().Then(_ => throw EngineAway()).Then(_ => throw EngineAway());

        rig.Start();

        // The stream ended (dockerd went down): one attempt at once, refused; then 2 s, refused again; then 4 s.
        foreach (var delay in new[] { 2, 4 })
        {
            for (var left = delay; left > 0; left--)
            {
                await rig.Time.NextTimerAsync();
                rig.Connection.Status.ShouldBe(new TerminalViewStatus(
                    TerminalStatusKind.Warn, $"Reconnecting to the sandbox engine… next attempt in {left} s") { CanRetry = true });
                rig.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        // The engine is back: attached again in place, the session never shown as ended.
        await rig.WaitForStatusAsync(null);
        // The status clears as the attempt starts, a moment before the attacher sees the call: wait for that call.
        await Poll.UntilAsync(() => rig.Attacher.Calls.Count >= 4, TimeSpan.FromSeconds(10));
        rig.Attacher.Calls.Count.ShouldBe(4);
        rig.Ended.Select(e => e.Reason).ShouldBe([TerminalEndReason.EngineUnavailable, TerminalEndReason.EngineUnavailable]);
        rig.Ended.ShouldAllBe(e => e.Detail == TerminalAttachException.EngineAwayMessage);
    }

    private static TerminalAttachException EngineAway() =>
        new(TerminalAttachException.EngineAwayMessage, new SandboxRuntimeUnavailableException("Docker engine not reachable at /tmp/x/sock"))
        {
            EngineUnavailable = true,
        };
}
