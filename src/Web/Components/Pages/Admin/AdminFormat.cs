using System.Globalization;

namespace RemoltBlazor.Web.Components.Pages.Admin;

/// <summary>How the admin page writes sizes, rates and times: short, fixed units, invariant digits.</summary>
public static class AdminFormat
{
    public const string None = "—";

    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary><c>512 B</c>, <c>1.5 KiB</c>, <c>230 MiB</c>: one decimal below 10, none above.</summary>
    public static string Bytes(double bytes)
    {
        var unit = 0;
        var value = Math.Max(0, bytes);
        while (value >= 1024 && unit < s_units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var digits = unit == 0 || value >= 10 ? "0" : "0.#";
        return $"{value.ToString(digits, CultureInfo.InvariantCulture)} {s_units[unit]}";
    }

    public static string Rate(double bytesPerSecond) => $"{Bytes(bytesPerSecond)}/s";

    public static string Percent(double percent) => $"{percent.ToString(percent >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture)} %";

    /// <summary><c>4 s ago</c>, <c>12 min ago</c>, <c>3 h ago</c>, <c>2 d ago</c>; <c>just now</c> for the future (clock skew).</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var elapsed = now - at;
        return elapsed switch
        {
            { TotalSeconds: < 1 } => "just now",
            { TotalMinutes: < 1 } => $"{(int)elapsed.TotalSeconds} s ago",
            { TotalHours: < 1 } => $"{(int)elapsed.TotalMinutes} min ago",
            { TotalDays: < 1 } => $"{(int)elapsed.TotalHours} h ago",
            _ => $"{(int)elapsed.TotalDays} d ago",
        };
    }

    /// <summary>A countdown as <c>m:ss</c> or <c>h:mm:ss</c>, rounded up so it reads 0:00 only when the time is up.</summary>
    public static string Countdown(TimeSpan left)
    {
        if (left <= TimeSpan.Zero)
        {
            return "0:00";
        }

        var seconds = (long)Math.Ceiling(left.TotalSeconds);
        var (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return h > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{h}:{m:00}:{s:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{m}:{s:00}");
    }
}
