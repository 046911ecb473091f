using Bunit;
using RemoltBlazor.Web.Components.Pages.Admin;

namespace RemoltBlazor.Web.Tests.Admin;

public sealed class SparklineTests
{
    [Fact]
    public void Render_Samples_OneSvgWithTheLineScaledToThePeakAndALabel()
    {
        using var context = new BunitContext();

        var cut = context.Render<Sparkline>(p => p.Add(s => s.Values, [0.0, 5, 10]).Add(s => s.Label, "CPU percent"));

        var svg = cut.Find("svg.sparkline");
        svg.GetAttribute("role").ShouldBe("img");
        svg.GetAttribute("aria-label").ShouldBe("CPU percent");
        cut.Find("path.sparkline-line").GetAttribute("d").ShouldBe("M0,32 L60,16 L120,0");
        cut.Find("path.sparkline-area").GetAttribute("d").ShouldBe("M0,32 L60,16 L120,0 L120,32 L0,32 Z");
    }

    [Fact]
    public void Render_FixedMaxAndNewSamples_Redraws()
    {
        using var context = new BunitContext();
        var cut = context.Render<Sparkline>(p => p.Add(s => s.Values, [50.0]).Add(s => s.Max, 100));
        cut.Find("path.sparkline-line").GetAttribute("d").ShouldBe("M0,16 L120,16");

        cut.Render(p => p.Add(s => s.Values, [100.0, 0]).Add(s => s.Max, 100));

        cut.Find("path.sparkline-line").GetAttribute("d").ShouldBe("M0,0 L120,32");
    }
}
