using System.Diagnostics;
using System.Text.Json;

namespace RemoltBlazor.Bench;

/// <summary>End-to-end terminal benchmark: see bench/README.md. Exit code 0 = measured (targets are reported, not asserted).</summary>
internal static class BenchMain
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // Not top-level statements: those would declare a second global Program next to the app's.
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--create", ..])
        {
            // Session create time, cold against the warm pool: `dotnet run --project bench/RemoltBlazor.Bench -c Release -- --create [N]`.
            Directory.SetCurrentDirectory(AppContext.BaseDirectory);
            var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(15));
            Console.WriteLine(await CreateTimeBench.RunAsync(runs, limit.Token));
            return 0;
        }

        if (args is ["--admin", ..])
        {
            // The admin page under load: `dotnet run --project bench/RemoltBlazor.Bench -c Release -- --admin [--window S] [--scales 10,20]`.
            return await RunAdminAsync(args[1..]);
        }

        var options = BenchOptions.Parse(args);
        // WebApplicationFactory looks for MvcTestingAppManifest.json (the app's content root) in the current
        // directory; `dotnet run` leaves that wherever it was invoked.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        using var overall = new CancellationTokenSource(options.OverallTimeout);
        try
        {
            var result = await new BenchRunner(options).RunAsync(overall.Token);
            var json = JsonSerializer.Serialize(result, s_json);
            Directory.CreateDirectory(Path.GetDirectoryName(options.OutputPath)!);
            await File.WriteAllTextAsync(options.OutputPath, json);
            Console.WriteLine(Report.Markdown(result));
            Console.WriteLine($"JSON: {options.OutputPath}");
            return 0;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"BENCH FAILED: {ex}");
            return 1;
        }
    }

    private static async Task<int> RunAdminAsync(string[] args)
    {
        var scales = new List<int> { 10, 20 };
        var window = TimeSpan.FromSeconds(20);
        var output = Path.Combine(BenchOptions.RepoRoot(), "bench", "results", "admin-latest.json");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--window": window = TimeSpan.FromSeconds(double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture)); break;
                case "--scales": scales = [.. Next().Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture))]; break;
                case "--out": output = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"Unknown argument {args[i]} (--window SECONDS, --scales 10,20, --out FILE)");
            }
        }

        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        try
        {
            var result = await new Admin.AdminBench(new Admin.AdminBenchOptions(scales, window, TimeSpan.FromSeconds(10))).RunAsync(overall.Token);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, s_json));
            Console.WriteLine(Admin.AdminReport.Markdown(result));
            Console.WriteLine($"JSON: {output}");
            return 0;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"BENCH FAILED: {ex}");
            return 1;
        }
    }
}

internal sealed record BenchOptions(
    int Runs, int Keystrokes, int PayloadLines, string OutputPath, TimeSpan RunTimeout, TimeSpan OverallTimeout, string? BrowserProfilePrefix)
{
    public static BenchOptions Parse(string[] args)
    {
        var runs = 5;
        var keys = 200;
        var lines = 500_000;
        var output = Path.Combine(RepoRoot(), "bench", "results", "latest.json");
        string? browserProfile = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--runs": runs = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--keys": keys = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--lines": lines = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--out": output = Path.GetFullPath(Next()); break;
                case "--browser-profile": browserProfile = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"Unknown argument {args[i]} (--runs N, --keys N, --lines N, --out FILE, --browser-profile PREFIX)");
            }
        }

        return new BenchOptions(runs, keys, lines, output, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(30), browserProfile);
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RemoltBlazor.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

internal static class Log
{
    private static readonly Stopwatch s_clock = Stopwatch.StartNew();

    public static void Info(string message) => Console.Error.WriteLine($"[{s_clock.Elapsed.TotalSeconds,7:F1}s] {message}");
}
