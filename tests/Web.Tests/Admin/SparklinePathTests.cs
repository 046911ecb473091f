using RemoltBlazor.Web.Components.Pages.Admin;

namespace RemoltBlazor.Web.Tests.Admin;

public sealed class SparklinePathTests
{
    [Fact]
    public void Line_KnownSamples_SpreadOverWidthZeroAtTheBottom()
    {
        SparklinePath.Line([0, 50, 100], width: 100, height: 20, max: 100).ShouldBe("M0,20 L50,10 L100,0");
    }

    [Fact]
    public void Line_ValuesAboveMaxOrNotFinite_Clipped()
    {
        SparklinePath.Line([150, -5, double.NaN, 25], width: 30, height: 10, max: 100).ShouldBe("M0,0 L10,10 L20,10 L30,7.5");
    }

    [Fact]
    public void Line_OneSample_FlatAcross_NoSamples_Empty()
    {
        SparklinePath.Line([30], 120, 32, 60).ShouldBe("M0,16 L120,16");
        SparklinePath.Line([], 120, 32, 60).ShouldBe("");
        SparklinePath.Area([], 120, 32, 60).ShouldBe("");
    }

    [Fact]
    public void Area_ClosesDownToTheBaseline()
    {
        SparklinePath.Area([0, 100], 10, 20, 100).ShouldBe("M0,20 L10,0 L10,20 L0,20 Z");
    }

    [Fact]
    public void Max_FixedOrLargestSampleAtLeastOne()
    {
        SparklinePath.Max([1, 7, 3]).ShouldBe(7);
        SparklinePath.Max([0, 0.5]).ShouldBe(1);
        SparklinePath.Max([], 100).ShouldBe(100);
        SparklinePath.Max([]).ShouldBe(1);
    }

    [Fact]
    public void Line_ManySamples_OneCoordinatePairEach_RoundedToATenth()
    {
        var samples = Enumerable.Range(0, 120).Select(i => i % 7 * 1.2345).ToArray();

        var path = SparklinePath.Line(samples, 120, 32, 10);

        path.Split(' ').Length.ShouldBe(120);
        path.ShouldNotContain("E"); // no exponent notation
        path.Split(' ').ShouldAllBe(p => p.Split(',', StringSplitOptions.None)[1].Length <= 4);
    }
}
