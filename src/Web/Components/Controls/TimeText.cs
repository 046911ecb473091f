using System.Globalization;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>How the pages word durations: a session's uptime, its last activity, the time left before a reap.</summary>
public static class TimeText
{
    /// <summary>"42s", "5m 07s", "3h 05m", "2d 4h": two units at most, the larger first.</summary>
    public static string Uptime(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero)
        {
            elapsed = TimeSpan.Zero;
        }

        return elapsed switch
        {
            { TotalMinutes: < 1 } => Invariant($"{elapsed.Seconds}s"),
            { TotalHours: < 1 } => Invariant($"{elapsed.Minutes}m {elapsed.Seconds:00}s"),
            { TotalDays: < 1 } => Invariant($"{elapsed.Hours}h {elapsed.Minutes:00}m"),
            _ => Invariant($"{(int)elapsed.TotalDays}d {elapsed.Hours}h"),
        };
    }

    /// <summary>"just now", "2 min ago", "3 h ago", "2 days ago".</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now)
    {
        var elapsed = now - then;
        return elapsed switch
        {
            { TotalSeconds: < 45 } => "just now",
            { TotalMinutes: < 60 } => Invariant($"{Math.Max(1, (int)Math.Round(elapsed.TotalMinutes))} min ago"),
            { TotalHours: < 24 } => Invariant($"{(int)elapsed.TotalHours} h ago"),
            { TotalDays: < 2 } => "1 day ago",
            _ => Invariant($"{(int)elapsed.TotalDays} days ago"),
        };
    }

    /// <summary>Minutes and seconds left, rounded up so "0:00" only shows when the time is really up: "4:05", "0:09".</summary>
    public static string Countdown(TimeSpan left)
    {
        var seconds = Math.Max(0, (long)Math.Ceiling(left.TotalSeconds));
        return Invariant($"{seconds / 60}:{seconds % 60:00}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
