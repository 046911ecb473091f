using System.Diagnostics;

namespace RemoltBlazor.Web.Tests.Hosting;

/// <summary>A maintenance verb of the built app (<c>secrets rotate</c>, <c>backup FILE</c>, ...) as an operator runs it.</summary>
internal static class AppCommand
{
    /// <summary>Exit code and stdout + stderr of <c>RemoltBlazor.Web {args}</c> on <paramref name="dataDirectory"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string dataDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RemoltBlazor.Web.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["REMOLT_DATA_DIR"] = dataDirectory;
        start.Environment["REMOLT_EVENTS_STDOUT"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the app did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
