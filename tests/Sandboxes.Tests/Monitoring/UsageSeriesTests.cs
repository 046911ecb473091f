using Microsoft.Extensions.Time.Testing;
using RemoltBlazor.Sandboxes.Monitoring;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Monitoring;

public sealed class UsageSeriesTests
{
    [Fact]
    public void Add_CounterWentBack_SandboxRestarted_RatesZeroNotNegative()
    {
        var time = new FakeTimeProvider();
        var series = new UsageSeries(10);
        series.Add(new SandboxStats(TimeSpan.FromSeconds(50), 10, null, 5000, 5000), time.GetTimestamp(), time);
        time.Advance(TimeSpan.FromSeconds(2));

        series.Add(new SandboxStats(TimeSpan.FromSeconds(1), 10, null, 10, 10), time.GetTimestamp(), time);

        var usage = series.View.Usage.ShouldNotBeNull();
        usage.CpuPercent.ShouldBe(0);
        usage.NetworkRxBytesPerSecond.ShouldBe(0);
        usage.NetworkTxBytesPerSecond.ShouldBe(0);
    }

    [Fact]
    public void MarkUnknown_ClearsUsage_KeepsHistory_TrueOncePerStreak()
    {
        var time = new FakeTimeProvider();
        var series = new UsageSeries(10);
        series.Add(new SandboxStats(TimeSpan.Zero, 10, null, 0, 0), time.GetTimestamp(), time);
        time.Advance(TimeSpan.FromSeconds(2));
        series.Add(new SandboxStats(TimeSpan.FromSeconds(1), 10, null, 0, 0), time.GetTimestamp(), time);

        series.MarkUnknown().ShouldBeTrue();
        series.MarkUnknown().ShouldBeFalse();

        series.View.Usage.ShouldBeNull();
        series.View.CpuHistory.ShouldBe([50.0]);
        time.Advance(TimeSpan.FromSeconds(2));
        series.Add(new SandboxStats(TimeSpan.FromSeconds(2), 10, null, 0, 0), time.GetTimestamp(), time);
        series.View.Usage.ShouldNotBeNull().CpuPercent.ShouldBe(50);
        series.MarkUnknown().ShouldBeTrue();
    }

    [Theory]
    [InlineData("0.52 0.61 0.70 2/345 6789\n", new[] { 0.52, 0.61, 0.70 })]
    [InlineData("garbage", new double[0])]
    [InlineData("", new double[0])]
    public void ParseLoadAverage_ProcLoadavg(string text, double[] expected) =>
        ServerStatusSampler.ParseLoadAverage(text).ShouldBe(expected);
}
