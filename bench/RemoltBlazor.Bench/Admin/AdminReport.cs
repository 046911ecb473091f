using System.Globalization;
using System.Text;

namespace RemoltBlazor.Bench.Admin;

/// <summary>The admin bench's markdown: each scale side by side, and the ratio of the largest to the smallest.</summary>
internal static class AdminReport
{
    public static string Markdown(AdminBenchResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"## RemoltBlazor admin page benchmark ({r.StartedAt:yyyy-MM-dd HH:mm} UTC, {r.DurationSeconds:F0} s)");
        sb.AppendLine();
        sb.AppendLine(inv, $"{r.ProcessorCount} cores; /proc/loadavg before `{r.LoadAverageBefore}`, after `{r.LoadAverageAfter}`; each window {r.WindowSeconds:F0} s; half of the sessions print about 40 lines/s into tmux.");
        sb.AppendLine();
        var first = r.Scales[0];
        var last = r.Scales[^1];
        sb.Append("| measure |");
        foreach (var s in r.Scales)
        {
            sb.Append(inv, $" {s.Sessions} sessions ({s.Streaming} streaming) |");
        }

        sb.AppendLine(inv, $" ratio {last.Sessions} vs {first.Sessions} |");
        sb.Append("|---|");
        sb.Append(string.Concat(Enumerable.Repeat("---:|", r.Scales.Count)));
        sb.AppendLine("---:|");

        Row(sb, r, "server CPU, admin page closed (% of one core)", s => s.PageClosed.ServerCpuPercent);
        Row(sb, r, "server CPU, admin page open (% of one core)", s => s.PageOpen.ServerCpuPercent);
        Row(sb, r, "server CPU the open page adds (% of one core)", s => s.PageOpen.ServerCpuPercent - s.PageClosed.ServerCpuPercent);
        Row(sb, r, "grid: frames with DOM changes per s", s => s.PageOpen.GridFramesPerSecond ?? 0);
        Row(sb, r, "whole page: frames with DOM changes per s", s => s.PageOpen.PageFramesPerSecond ?? 0);
        Row(sb, r, "grid: MutationObserver callbacks per s", s => s.PageOpen.GridCallbacksPerSecond ?? 0);
        Row(sb, r, "this run's Chromium CPU, page open (% of one core)", s => Percent(s.PageOpen, CpuSampler.OwnChromiumGroup));
        Row(sb, r, "dockerd CPU, page closed (% of one core, machine-wide)", s => Percent(s.PageClosed, "dockerd"));
        Row(sb, r, "dockerd CPU, page open (% of one core, machine-wide)", s => Percent(s.PageOpen, "dockerd"));
        Row(sb, r, "monitor ticks per s (page open)", s => s.PageOpen.MonitorTicks / s.PageOpen.Seconds);
        Row(sb, r, "monitor: ms per tick (build + offer)", s => s.PageOpen.MonitorTicks == 0 ? 0 : s.PageOpen.MonitorTickMs / s.PageOpen.MonitorTicks);
        Row(sb, r, "monitor: ms per stats refresh (all sessions, wall)", s => s.PageOpen.MonitorRefreshes == 0 ? 0 : s.PageOpen.MonitorRefreshMs / s.PageOpen.MonitorRefreshes);
        Row(sb, r, "monitor ticks with the page closed", s => s.PageClosed.MonitorTicks);

        if (r.Notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var note in r.Notes)
            {
                sb.AppendLine(inv, $"- {note}");
            }
        }

        return sb.ToString();
    }

    private static double Percent(AdminWindow window, string group) =>
        window.CpuSeconds.GetValueOrDefault(group) / window.Seconds * 100;

    private static void Row(StringBuilder sb, AdminBenchResult r, string name, Func<AdminScale, double> value)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"| {name} |");
        foreach (var s in r.Scales)
        {
            sb.Append(inv, $" {value(s):0.##} |");
        }

        var (a, b) = (value(r.Scales[0]), value(r.Scales[^1]));
        sb.AppendLine(Math.Abs(a) < 1e-9 ? " - |" : string.Create(inv, $" {b / a:0.00}x |"));
    }
}
