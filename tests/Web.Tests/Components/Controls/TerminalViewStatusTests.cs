using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Components.Controls;

public sealed class TerminalViewStatusTests
{
    [Theory]
    [InlineData(TerminalEndReason.Ended, "Session ended", TerminalStatusKind.Warn)]
    [InlineData(TerminalEndReason.NotFound, "Session not found", TerminalStatusKind.Error)]
    [InlineData(TerminalEndReason.AttachFailed, "Attach failed: booting", TerminalStatusKind.Error)]
    [InlineData(TerminalEndReason.Failed, "Disconnected: booting", TerminalStatusKind.Error)]
    public void From_Outcome_GivesStatus(TerminalEndReason reason, string text, TerminalStatusKind kind)
    {
        var status = TerminalViewStatus.From(new TerminalOutcome(reason, "booting"));

        status.ShouldBe(new TerminalViewStatus(kind, text));
        status.TerminalLine.ShouldBe($"● {text}");
    }

    [Theory]
    [InlineData(TerminalEndReason.Ended, "Terminal closed. Reconnecting in 3 s…")]
    [InlineData(TerminalEndReason.Failed, "Connection lost (boom). Reconnecting in 3 s…")]
    [InlineData(TerminalEndReason.EngineUnavailable, "Reconnecting to the sandbox engine… next attempt in 3 s")]
    public void Reconnecting_SecondsLeft_SaysWhyAndWhenWithRetry(TerminalEndReason reason, string text)
    {
        var status = TerminalViewStatus.Reconnecting(new TerminalOutcome(reason, "boom"), 3);

        status.ShouldBe(new TerminalViewStatus(TerminalStatusKind.Warn, text) { CanRetry = true });
    }
}
