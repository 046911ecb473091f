using System.Globalization;
using System.Text;

namespace RemoltBlazor.Web.Components.Pages.Admin;

/// <summary>
/// The SVG path of a sparkline: samples spread evenly over <c>width</c>, zero at the bottom of <c>height</c> and
/// <c>max</c> at the top (values above are clipped). One small path per chart is the whole cost, which is why the
/// admin page draws these instead of a chart library per row.
/// </summary>
public static class SparklinePath
{
    /// <summary>The line (<c>M x,y L x,y ...</c>); empty for no samples, flat across for one.</summary>
    public static string Line(IReadOnlyList<double> values, double width, double height, double max)
    {
        if (values.Count == 0)
        {
            return "";
        }

        var points = Points(values, width, height, max);
        var path = new StringBuilder();
        for (var i = 0; i < points.Count; i++)
        {
            path.Append(i == 0 ? "M" : " L").Append(Number(points[i].X)).Append(',').Append(Number(points[i].Y));
        }

        return path.ToString();
    }

    /// <summary>The line closed down to the baseline, for a light fill under it.</summary>
    public static string Area(IReadOnlyList<double> values, double width, double height, double max)
    {
        var line = Line(values, width, height, max);
        return line.Length == 0 ? "" : $"{line} L{Number(width)},{Number(height)} L0,{Number(height)} Z";
    }

    /// <summary>The scale's top: <paramref name="fixedMax"/> when given (CPU percent), else the largest sample (at least 1).</summary>
    public static double Max(IReadOnlyList<double> values, double? fixedMax = null) =>
        fixedMax ?? Math.Max(1, values.Count == 0 ? 0 : values.Max());

    private static List<(double X, double Y)> Points(IReadOnlyList<double> values, double width, double height, double max)
    {
        var top = max > 0 ? max : 1;
        if (values.Count == 1)
        {
            var y = Y(values[0]);
            return [(0, y), (width, y)];
        }

        var step = width / (values.Count - 1);
        var points = new List<(double, double)>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            points.Add((i * step, Y(values[i])));
        }

        return points;

        double Y(double value) => height - (height * Math.Clamp(double.IsFinite(value) ? value : 0, 0, top) / top);
    }

    private static string Number(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
