using Microsoft.Extensions.Time.Testing;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Realtime.Circuit;

public sealed class FloodPacerTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(33);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ShouldHold_NothingSentYet_False()
    {
        new FloodPacer(s_interval, _time).ShouldHold(out _).ShouldBeFalse();
    }

    [Fact]
    public void ShouldHold_EchoEveryFewMilliseconds_NeverHolds()
    {
        var pacer = new FloodPacer(s_interval, _time);
        for (var key = 0; key < 500; key++)
        {
            pacer.ShouldHold(out _).ShouldBeFalse($"key {key}");
            pacer.OnSend(12); // a character with tmux's cursor sequences around it
            _time.Advance(TimeSpan.FromMilliseconds(3));
        }
    }

    [Fact]
    public void ShouldHold_AfterFloodSend_HoldsForTheRestOfTheInterval()
    {
        var pacer = new FloodPacer(s_interval, _time);
        pacer.OnSend(FloodPacer.FloodBytes);
        _time.Advance(TimeSpan.FromMilliseconds(10));

        pacer.ShouldHold(out var remaining).ShouldBeTrue();
        remaining.ShouldBe(TimeSpan.FromMilliseconds(23));

        _time.Advance(TimeSpan.FromMilliseconds(23));
        pacer.ShouldHold(out _).ShouldBeFalse("the interval has passed");
    }

    [Fact]
    public void ShouldHold_ManySmallSendsAddingUpToAFlood_Holds()
    {
        var pacer = new FloodPacer(s_interval, _time);
        for (var i = 0; i < 5; i++)
        {
            pacer.OnSend(500);
            _time.Advance(TimeSpan.FromMilliseconds(2));
        }

        pacer.ShouldHold(out var remaining).ShouldBeTrue();
        remaining.ShouldBe(TimeSpan.FromMilliseconds(31));
    }

    [Fact]
    public void ShouldHold_QuietForTwoIntervalsAfterFlood_FloodForgotten()
    {
        var pacer = new FloodPacer(s_interval, _time);
        pacer.OnSend(64 * 1024);
        _time.Advance(s_interval * 2);
        pacer.OnSend(1); // an echo after the flood ended
        _time.Advance(TimeSpan.FromMilliseconds(1));

        pacer.ShouldHold(out _).ShouldBeFalse();
    }

    [Fact]
    public void ShouldHold_ZeroInterval_PacingOff()
    {
        var pacer = new FloodPacer(TimeSpan.Zero, _time);
        pacer.OnSend(1024 * 1024);

        pacer.ShouldHold(out _).ShouldBeFalse();
    }
}
