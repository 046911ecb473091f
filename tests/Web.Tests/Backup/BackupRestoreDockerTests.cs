using System.Net.Http.Json;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Realtime;

namespace RemoltBlazor.Web.Tests.Backup;

/// <summary>
/// Issue 12's backup test on the real engine: a backup taken while a session runs, restored into a second server's
/// empty data folder, makes that server adopt and remove nothing of the first; with <c>--adopt-instance</c> (the first
/// server gone) it takes the session back.
/// </summary>
public sealed class BackupRestoreDockerTests
{
    [DockerFact]
    public async Task BackupWhileASessionRuns_RestoredOnASecondServer_ItTakesNothing_AdoptInstanceTakesTheSessionBack()
    {
        await SandboxImage.EnsureBuiltAsync();
        var dataA = TestDataFolder.Create("remolt-backup-docker-tests");
        var dataB = TestDataFolder.Create("remolt-backup-docker-tests");
        var instanceA = await File.ReadAllTextAsync(Path.Combine(dataA, TestRun.InstanceIdFile));
        var instanceB = await File.ReadAllTextAsync(Path.Combine(dataB, TestRun.InstanceIdFile));
        var archive = Path.Combine(dataA, "backups", "nightly.tar.gz");
        try
        {
            await using var serverA = await AppProcess.StartAsync(dataA, Settings(dataA));
            var sessionId = await CreateSessionAsync(serverA);
            await using (var terminal = await TerminalSocketClient.ConnectAsync(serverA.Address, $"/ws/terminal/{sessionId}"))
            {
                await terminal.WaitForAsync("$ ");
                await terminal.SendKeysAsync("echo typed-$((6*7))-before-backup\r");
                await terminal.WaitForAsync("typed-42-before-backup");

                var (backupExit, backupOutput) = await AppCommand.RunAsync(dataA, "backup", archive);
                backupExit.ShouldBe(0, backupOutput);
                var (restoreExit, restoreOutput) = await AppCommand.RunAsync(dataB, "restore", archive);
                restoreExit.ShouldBe(0, restoreOutput);
                restoreOutput.ShouldContain("keeps its own instance id");

                await using (var serverB = await AppProcess.StartAsync(dataB, Settings(dataB)))
                {
                    (await SessionIdsAsync(serverB)).ShouldNotContain(sessionId, "B adopts nothing it does not own");
                    var ended = await WaitForEventAsync(dataB, "session.ended", sessionId);
                    ended.GetProperty("reason").GetString().ShouldBe("lost");
                    (await File.ReadAllTextAsync(Path.Combine(dataB, TestRun.InstanceIdFile))).ShouldBe(instanceB);

                    (await DockerCli.RunAsync($"ps -q --filter label=remolt.session-id={sessionId} --filter status=running")).ShouldNotBeEmpty("B removed nothing");
                    (await DockerCli.RunAsync($"network ls -q --filter label=remolt.session-id={sessionId}")).ShouldNotBeEmpty("B removed nothing");
                    (await DockerCli.ListInstanceAsync(instanceB)).ShouldBeEmpty("B created nothing either");

                    await terminal.SendKeysAsync("echo still-$((6*7))-after-b\r");
                    await terminal.WaitForAsync("still-42-after-b");
                }
            }

            // Disaster recovery: A is gone (stopped; its sandboxes keep running), B takes A's place on the same engine.
            await serverA.StopAsync();
            var (adoptExit, adoptOutput) = await AppCommand.RunAsync(dataB, "restore", archive, "--adopt-instance");
            adoptExit.ShouldBe(0, adoptOutput);
            adoptOutput.ShouldContain("The previous database is kept as");
            (await File.ReadAllTextAsync(Path.Combine(dataB, TestRun.InstanceIdFile))).ShouldBe(instanceA);

            await using var recovered = await AppProcess.StartAsync(dataB, Settings(dataB));
            (await SessionIdsAsync(recovered)).ShouldContain(sessionId);
            await using var reattached = await TerminalSocketClient.ConnectAsync(recovered.Address, $"/ws/terminal/{sessionId}");
            await reattached.WaitForAsync("typed-42-before-backup");
            await reattached.SendKeysAsync("echo back-$((6*7))-on-b\r");
            await reattached.WaitForAsync("back-42-on-b");
            (await WaitForEventAsync(dataB, "session.recovered", sessionId)).GetProperty("session_id").GetString().ShouldBe(sessionId);

            using var cleanup = new HttpClient { BaseAddress = recovered.Address };
            (await cleanup.DeleteAsync($"api/sessions/{sessionId}")).EnsureSuccessStatusCode();
        }
        finally
        {
            await DockerCli.RemoveInstanceByIdAsync(instanceA);
            await DockerCli.RemoveInstanceByIdAsync(instanceB);
            TestDataFolder.Delete(dataA);
            TestDataFolder.Delete(dataB);
        }
    }

    private static Dictionary<string, string> Settings(string data) => new()
    {
        ["REMOLT_EVENTS_LOG"] = Path.Combine(data, "events.jsonl"),
        ["REMOLT_SANDBOX_IMAGE"] = SandboxImage.Name,
    };

    private static async Task<string> CreateSessionAsync(AppProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(90) };
        using var response = await http.PostAsJsonAsync("api/sessions", new { });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.IsSuccessStatusCode.ShouldBeTrue(body.ToString());
        return body.GetProperty("session_id").GetString()!;
    }

    private static async Task<List<string?>> SessionIdsAsync(AppProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var listed = await http.GetFromJsonAsync<JsonElement>("api/sessions");
        return [.. listed.EnumerateArray().Select(s => s.GetProperty("session_id").GetString())];
    }

    /// <summary>The fields of the first <paramref name="name"/> event of the session in the server's JSON lines log.</summary>
    private static async Task<JsonElement> WaitForEventAsync(string data, string name, string sessionId)
    {
        var path = Path.Combine(data, "events.jsonl");
        var found = default(JsonElement?);
        await Poll.UntilAsync(async () =>
        {
            var lines = File.Exists(path) ? await File.ReadAllLinesAsync(path) : [];
            found = lines.Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.TryGetProperty("event", out var n) && n.GetString() == name)
                .Where(e => e.TryGetProperty("session_id", out var s) && s.GetString() == sessionId)
                .Cast<JsonElement?>()
                .FirstOrDefault();
            return found is not null;
        }, TimeSpan.FromSeconds(30), $"{name} for {sessionId} in {path}");
        return found!.Value;
    }
}
