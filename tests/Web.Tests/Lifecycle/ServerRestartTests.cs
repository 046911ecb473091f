using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Local;
using RemoltBlazor.Web.Tests.Realtime;

namespace RemoltBlazor.Web.Tests.Lifecycle;

/// <summary>A crash of the server (SIGKILL) loses nothing: the session, its programs and its history survive.</summary>
public sealed partial class ServerRestartTests
{
    [DockerFact]
    public async Task KillNine_WithAttachedCounter_RestartReclaimsSessionAndHistory()
    {
        await SandboxImage.EnsureBuiltAsync();
        var data = TestDataFolder.Create("remolt-restart-tests");
        // The image built above (the app's default, remolt-<agent>, may be older than this checkout's container/).
        var settings = new Dictionary<string, string>
        {
            ["REMOLT_EVENTS_LOG"] = Path.Combine(data, "events.jsonl"),
            ["REMOLT_SANDBOX_IMAGE"] = SandboxImage.Name,
        };
        try
        {
            await CrashAndRecoverAsync(data, settings);
        }
        finally
        {
            await DockerCli.RemoveInstanceAsync(data);
        }
    }

    [LocalFact]
    public async Task KillNine_LocalSandbox_RestartReclaimsSessionAndHistory()
    {
        var data = TestDataFolder.Create("remolt-restart-tests");
        var settings = new Dictionary<string, string>
        {
            ["REMOLT_EVENTS_LOG"] = Path.Combine(data, "events.jsonl"),
            ["REMOLT_RUNTIME"] = "local",
            ["REMOLT_BUILD_IMAGES"] = "false", // no agent install (npm, from the internet): the terminal is what counts here
        };
        try
        {
            await CrashAndRecoverAsync(data, settings);
        }
        finally
        {
            await LocalSandboxProcesses.KillAsync(data);
        }
    }

    internal static async Task CrashAndRecoverAsync(string data, Dictionary<string, string> settings)
    {
        string sessionId;
        int beforeKill;
        await using (var first = await AppProcess.StartAsync(data, settings))
        {
            using var http = new HttpClient { BaseAddress = first.Address };
            var created = await (await http.PostAsJsonAsync("api/sessions", new { })).Content.ReadFromJsonAsync<JsonElement>();
            sessionId = created.GetProperty("session_id").GetString()!;
            await using var terminal = await TerminalSocketClient.ConnectAsync(first.Address, $"/ws/terminal/{sessionId}");
            await terminal.WaitForAsync("$ ");
            await terminal.SendKeysAsync("for i in $(seq 1 100000); do echo count-$i; sleep 0.1; done\r");
            await terminal.WaitForAsync(screen => MaxCount(screen) >= 30, "count-30");
            beforeKill = MaxCount(terminal.Screen);

            await first.KillAsync();
        }

        var restarted = Stopwatch.StartNew();
        await using var second = await AppProcess.StartAsync(data, settings);
        try
        {
            await AssertRecoveredAsync(second, sessionId, beforeKill, restarted, data);
        }
        finally
        {
            using var cleanup = new HttpClient { BaseAddress = second.Address };
            await cleanup.DeleteAsync($"api/sessions/{sessionId}");
        }
    }

    private static async Task AssertRecoveredAsync(AppProcess second, string sessionId, int beforeKill, Stopwatch restarted, string data)
    {
        await using var reattached = await TerminalSocketClient.ConnectAsync(second.Address, $"/ws/terminal/{sessionId}");
        await reattached.WaitForAsync("count-");
        var firstOutput = restarted.Elapsed;

        using var client = new HttpClient { BaseAddress = second.Address };
        var listed = await client.GetFromJsonAsync<JsonElement>("api/sessions");
        listed.EnumerateArray().Select(s => s.GetProperty("session_id").GetString()).ShouldContain(sessionId);

        // The counter kept running while no server existed, and everything it printed is there, in order.
        await reattached.WaitForAsync(screen => MaxCount(screen) >= beforeKill + 20, $"count-{beforeKill + 20}", TimeSpan.FromSeconds(30));
        var counts = Counts(reattached.Screen);
        counts.Min().ShouldBe(1);
        counts.ShouldBe(Enumerable.Range(1, counts.Max()).ToList());
        Console.WriteLine($"restart to re-attached output: {firstOutput.TotalMilliseconds:F0} ms");

        var events = await File.ReadAllLinesAsync(Path.Combine(data, "events.jsonl"));
        events.ShouldContain(line => line.Contains("\"session.recovered\"", StringComparison.Ordinal) && line.Contains(sessionId, StringComparison.Ordinal));
    }

    private static int MaxCount(string text) => Counts(text) is { Count: > 0 } counts ? counts.Max() : 0;

    private static List<int> Counts(string text) =>
        [.. CountLine().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order()];

    [GeneratedRegex(@"count-(\d+)(?!\d)")]
    private static partial Regex CountLine();
}
