using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Monitoring;
using RemoltBlazor.Web.Components.Pages.Admin;

namespace RemoltBlazor.Web.Tests.Admin;

public sealed class SessionRowTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Row_WithUsage_FormatsCpuMemoryNetworkAndIdle()
    {
        var row = new SessionRow(Snapshot(
            usage: new SandboxUsage(12.345, 300L * 1024 * 1024, 2L * 1024 * 1024 * 1024, 1536, 200),
            idleDeadline: s_now.AddMilliseconds(299_200)), s_now);

        row.CpuText.ShouldBe("12.3 %");
        row.MemoryText.ShouldBe("300 MiB / 2 GiB");
        row.MemoryPercent!.Value.ShouldBe(14.65, 0.01);
        row.NetworkText.ShouldBe("↓ 1.5 KiB/s ↑ 200 B/s");
        row.Network.ShouldBe(1736);
        row.IdleLeft.ShouldBe(TimeSpan.FromMilliseconds(299_200));
        row.IdleText.ShouldBe("5:00");
        row.IdleSoon.ShouldBeFalse();
    }

    [Fact]
    public void Row_BeforeFirstStats_ShowsDashesAndSortsAsNull()
    {
        var row = new SessionRow(Snapshot(usage: null, idleDeadline: null), s_now);

        (row.CpuText, row.MemoryText, row.NetworkText, row.IdleText).ShouldBe(("—", "—", "—", "—"));
        row.Cpu.ShouldBeNull();
        row.Memory.ShouldBeNull();
        row.Network.ShouldBeNull();
        row.IdleLeft.ShouldBeNull();
    }

    [Fact]
    public void Row_NoMemoryLimit_ShowsUseOnly()
    {
        var row = new SessionRow(Snapshot(usage: new SandboxUsage(100, 5 * 1024, null, 0, 0)), s_now);

        row.MemoryText.ShouldBe("5 KiB");
        row.MemoryPercent.ShouldBeNull();
        row.CpuText.ShouldBe("100 %");
    }

    [Theory]
    [InlineData(-5, "0:00", true)]
    [InlineData(0.2, "0:01", true)]
    [InlineData(119, "1:59", true)]
    [InlineData(120, "2:00", false)]
    [InlineData(3725, "1:02:05", false)]
    public void IdleCountdown_RoundsUpAndWarnsUnderTwoMinutes(double seconds, string text, bool soon)
    {
        var row = new SessionRow(Snapshot(idleDeadline: s_now.AddSeconds(seconds)), s_now);

        row.IdleText.ShouldBe(text);
        row.IdleSoon.ShouldBe(soon);
        row.IdleLeft!.Value.ShouldBeGreaterThanOrEqualTo(TimeSpan.Zero);
    }

    [Fact]
    public void TimesAndState_ReadRelativeToNow()
    {
        var row = new SessionRow(Snapshot(created: s_now.AddHours(-3).AddMinutes(-5), lastActivity: s_now.AddSeconds(-42)), s_now);

        row.CreatedText.ShouldBe("3 h ago");
        row.LastActivityText.ShouldBe("42 s ago");
        row.StateText.ShouldBe("running");
        row.ShortId.ShouldBe("0123abcd");
    }

    [Fact]
    public void SortValues_OrderByValueNotByText()
    {
        // "9.0 %" > "10.0 %" as text; the column sorts by the number.
        var rows = new[] { 9.0, 10.0, 100.0 }.Select(cpu => new SessionRow(Snapshot(usage: new SandboxUsage(cpu, 1, null, 0, 0)), s_now)).ToArray();

        rows.OrderBy(r => r.CpuText, StringComparer.Ordinal).Select(r => r.Cpu).ShouldBe([10.0, 100.0, 9.0]);
        rows.OrderBy(r => r.Cpu).Select(r => r.Cpu).ShouldBe([9.0, 10.0, 100.0]);
    }

    [Fact]
    public void ById_EqualForTheSameSessionAcrossUpdates()
    {
        var before = new SessionRow(Snapshot(usage: null), s_now);
        var after = new SessionRow(Snapshot(usage: new SandboxUsage(50, 1, null, 0, 0)), s_now.AddSeconds(1));
        var other = new SessionRow(Snapshot() with { Id = "ffffffffffffffffffffffffffffffff" }, s_now);

        SessionRow.ById.Equals(before, after).ShouldBeTrue();
        SessionRow.ById.GetHashCode(before).ShouldBe(SessionRow.ById.GetHashCode(after));
        SessionRow.ById.Equals(before, other).ShouldBeFalse();
    }

    [Fact]
    public void Equals_BySessionId_SoTheGridKeysTheNextUpdatesRowAsTheSameRow()
    {
        var before = new SessionRow(Snapshot(usage: null), s_now);
        var after = new SessionRow(Snapshot(usage: new SandboxUsage(50, 1, null, 0, 0)), s_now.AddSeconds(1));
        var other = new SessionRow(Snapshot() with { Id = "ffffffffffffffffffffffffffffffff" }, s_now);

        after.ShouldBe(before);
        after.GetHashCode().ShouldBe(before.GetHashCode());
        other.ShouldNotBe(before);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("ALI", true)]
    [InlineData("claude", true)]
    [InlineData("running", true)]
    [InlineData("0123ab", true)]
    [InlineData("bob", false)]
    [InlineData("abcd", false)]
    public void Matches_OwnerAgentStateOrIdPrefix(string? text, bool expected)
    {
        new SessionRow(Snapshot(), s_now).Matches(text).ShouldBe(expected);
    }

    internal static SessionSnapshot Snapshot(
        SandboxUsage? usage = null, DateTimeOffset? idleDeadline = null, DateTimeOffset? created = null, DateTimeOffset? lastActivity = null) =>
        new("0123abcd0123abcd0123abcd0123abcd", "alice", "claude-code", SessionState.Running, created ?? s_now.AddMinutes(-10),
            lastActivity ?? s_now.AddMinutes(-1), 1, usage, idleDeadline, [], []);
}
