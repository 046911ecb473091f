using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Sessions;

namespace RemoltBlazor.Bench;

/// <summary>
/// Session create time, cold (a new container) against the warm pool (a pre-created one claimed), in one run:
/// from <c>POST /api/sessions</c> to the first prompt byte on the session's terminal socket. Median of N each.
/// </summary>
internal static class CreateTimeBench
{
    public static async Task<string> RunAsync(int runs, CancellationToken cancellationToken)
    {
        var cold = await MeasureAsync(warm: false, runs, cancellationToken);
        var warm = await MeasureAsync(warm: true, runs, cancellationToken);
        var report = new StringBuilder();
        report.AppendLine("| create path | median ms | min ms | max ms | runs |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        report.AppendLine(Row("cold (new container)", cold));
        report.AppendLine(Row("warm pool (claimed)", warm));
        report.AppendLine(FormattableString.Invariant($"\nwarm / cold: {Median(warm) / Median(cold):F2}x"));
        return report.ToString();
    }

    private static async Task<List<double>> MeasureAsync(bool warm, int runs, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>
        {
            ["REMOLT_WARM_POOL"] = warm ? "1" : "0",
            ["REMOLT_WARM_POOL_INTERVAL"] = "1",
            ["REMOLT_MAX_SESSIONS"] = "20",
        };
        await using var app = new BenchApp(settings);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var store = app.Services.GetRequiredService<WarmSandboxStore>();
        var samples = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            if (warm)
            {
                await WaitForSpareAsync(store, cancellationToken);
            }

            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("api/sessions", new { agent_type = "claude-code" }, cancellationToken);
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("session_id").GetString()!;
            await WaitForPromptAsync(app.BaseAddress, id, cancellationToken);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            if (run > 0)
            {
                samples.Add(elapsed); // run 0 warms up the app and the engine
            }

            Log.Info(FormattableString.Invariant($"create {(warm ? "warm" : "cold")} #{run}: {elapsed:F0} ms"));
            await http.DeleteAsync($"api/sessions/{id}", cancellationToken);
        }

        return samples;
    }

    private static async Task WaitForSpareAsync(WarmSandboxStore store, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while ((await store.ListAsync(WarmSandboxState.Ready, timeout.Token)).All(w => w.AgentId != "claude-code"))
        {
            await Task.Delay(100, timeout.Token);
        }

        await Task.Delay(1000, timeout.Token); // let the spare's entrypoint settle, as it would between real launches
    }

    private static async Task WaitForPromptAsync(Uri baseAddress, string id, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/ws/terminal/{id}"), timeout.Token);
        var buffer = new byte[65536];
        var seen = new StringBuilder();
        while (!seen.ToString().Contains("$ ", StringComparison.Ordinal))
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"terminal closed before a prompt: {socket.CloseStatusDescription}");
            }

            seen.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "measured", CancellationToken.None);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Row(string name, List<double> values) =>
        FormattableString.Invariant($"| {name} | {Median(values):F0} | {values.Min():F0} | {values.Max():F0} | {values.Count} |");
}
