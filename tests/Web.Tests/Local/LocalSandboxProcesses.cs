using System.Diagnostics;

namespace RemoltBlazor.Web.Tests.Local;

/// <summary>
/// Cleanup after a test that ran local (bubblewrap) sandboxes under a data folder: kills whatever still runs from it
/// (every sandbox's command line names its session folder), whatever state the test left them in.
/// </summary>
internal static class LocalSandboxProcesses
{
    public static async Task KillAsync(string dataFolder)
    {
        using var pkill = Process.Start(new ProcessStartInfo("pkill", ["-KILL", "-f", Path.Combine(dataFolder, "sandboxes")]))
            ?? throw new InvalidOperationException("pkill did not start");
        await pkill.WaitForExitAsync();
    }

    /// <summary>How many processes still run from <paramref name="dataFolder"/>'s session folders.</summary>
    public static async Task<int> CountAsync(string dataFolder)
    {
        var start = new ProcessStartInfo("pgrep", ["-c", "-f", Path.Combine(dataFolder, "sandboxes")]) { RedirectStandardOutput = true };
        using var pgrep = Process.Start(start) ?? throw new InvalidOperationException("pgrep did not start");
        var output = await pgrep.StandardOutput.ReadToEndAsync();
        await pgrep.WaitForExitAsync();
        return int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
