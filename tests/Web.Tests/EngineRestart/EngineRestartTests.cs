using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Events;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Realtime;

namespace RemoltBlazor.Web.Tests.EngineRestart;

/// <summary>
/// The real app on a private dockerd that the test stops (SIGTERM, as systemd does) and starts again. With
/// live-restore the session, its programs and its terminal output survive; without, the session ends as
/// <c>sandbox_exited</c> once the engine is back, and nothing of it is left in the engine.
/// </summary>
[Collection(PrivateEngineFixture.Collection)]
public sealed class EngineRestartTests(PrivateEngineFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [PrivateEngineFact]
    public async Task DockerdRestart_WithLiveRestore_SessionKeptAndTerminalReattachesWithEarlierOutput()
    {
        var engine = await fixture.RestartAsync(liveRestore: true);
        await using var app = new RemoltAppFactory(fixture.AppSettings());
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = s_timeout };
        var sessionId = await CreateSessionAsync(http);

        await using (var terminal = await TerminalSocketClient.ConnectAsync(app.BaseAddress, $"/ws/terminal/{sessionId}"))
        {
            await terminal.WaitForAsync("$ ", s_timeout);
            await terminal.SendKeysAsync("echo before-$((6*7))-restart\r");
            await terminal.WaitForAsync("before-42-restart", s_timeout);

            await engine.StopDaemonAsync();
            (await terminal.WaitForCloseAsync(s_timeout)).ShouldNotBeNull("the terminal's exec ends with the engine");
        }

        // Away: the runtime says so, the raw socket says "try again later", and the session stays through sweeps.
        var probe = await app.Runtime.ProbeAsync(CancellationToken.None).WaitAsync(s_timeout);
        probe.Available.ShouldBeFalse();
        probe.Detail.ShouldContain(engine.SocketPath);
        (await HealthAsync(http)).GetProperty("runtime_available").GetBoolean().ShouldBeFalse();
        await using (var refused = await TerminalSocketClient.ConnectAsync(app.BaseAddress, $"/ws/terminal/{sessionId}"))
        {
            (await refused.WaitForCloseAsync(s_timeout)).ShouldBe((int)1013);
            refused.CloseDescription.ShouldBe("The sandbox engine is not answering");
        }

        using (var refusedCreate = await http.PostAsJsonAsync("/api/sessions", new { }).WaitAsync(s_timeout))
        {
            refusedCreate.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var detail = (await refusedCreate.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(s_timeout)).GetProperty("detail").GetString();
            detail.ShouldStartWith("The sandbox engine is not answering; try again in a moment");
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // three reaper sweeps (REMOLT_CLEANUP_INTERVAL=1)
        (await ListSessionIdsAsync(http)).ShouldContain(sessionId);

        // Back: the same session, its tmux and its output, through the same app and its Docker client.
        await engine.StartDaemonAsync(liveRestore: true);
        await using var reattached = await ConnectWhenBackAsync(app.BaseAddress, sessionId);
        await reattached.WaitForAsync("before-42-restart", s_timeout);
        await reattached.SendKeysAsync("echo after-$((7*8))-restart\r");
        await reattached.WaitForAsync("after-56-restart", s_timeout);
        // The client the engine's restart cut off is detached: only this one is left (it would stay attached otherwise).
        await reattached.SendKeysAsync("echo clients-$(tmux list-clients | wc -l)-end\r");
        await reattached.WaitForAsync("clients-1-end", s_timeout);
        (await HealthAsync(http)).GetProperty("runtime_available").GetBoolean().ShouldBeTrue();
        (await ListSessionIdsAsync(http)).ShouldContain(sessionId);
        var events = await app.Services.GetRequiredService<EventLog>().RecentAsync(100, sessionId).WaitAsync(s_timeout);
        events.ShouldNotContain(e => e.Name == "session.ended");

        (await http.DeleteAsync($"/api/sessions/{sessionId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await engine.StopDaemonAsync();
    }

    [PrivateEngineFact]
    public async Task DockerdRestart_WithoutLiveRestore_SessionEndsAsSandboxExitedAndLeavesNothing()
    {
        var engine = await fixture.RestartAsync(liveRestore: false);
        await using var app = new RemoltAppFactory(fixture.AppSettings());
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = s_timeout };
        var sessionId = await CreateSessionAsync(http);
        (await engine.CliAsync("ps", "-aq", "--filter", $"label=remolt.instance={app.InstanceId}")).ShouldNotBeEmpty();

        await engine.StopDaemonAsync();
        await Task.Delay(TimeSpan.FromSeconds(2)); // sweeps while away end nothing
        (await ListSessionIdsAsync(http)).ShouldContain(sessionId);

        await engine.StartDaemonAsync(liveRestore: false);
        var log = app.Services.GetRequiredService<EventLog>();
        IReadOnlyList<RemoltBlazor.Data.Entities.EventRecord> events = [];
        await Poll.UntilAsync(async () =>
        {
            // The event comes once the sandbox, its guard helper and its network are removed.
            events = await log.RecentAsync(100, sessionId);
            return events.Any(e => e.Name == "session.ended");
        }, s_timeout);

        (await ListSessionIdsAsync(http)).ShouldNotContain(sessionId);
        events.ShouldContain(e => e.Name == "session.ended" && e.Fields.Contains("\"reason\":\"sandbox_exited\""),
            string.Join('\n', events.Select(e => $"{e.Name} {e.Fields}")));
        var label = $"label=remolt.instance={app.InstanceId}";
        (await engine.CliAsync("ps", "-aq", "--filter", label)).ShouldBeEmpty("the sandbox and its guard helper are removed");
        (await engine.CliAsync("network", "ls", "-q", "--filter", label)).ShouldBeEmpty("the session's network is removed");
        await engine.StopDaemonAsync();
    }

    private static async Task<string> CreateSessionAsync(HttpClient http)
    {
        using var created = await http.PostAsJsonAsync("/api/sessions", new { }).WaitAsync(s_timeout);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(s_timeout);
        created.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("session_id").GetString()!;
    }

    private static async Task<List<string?>> ListSessionIdsAsync(HttpClient http)
    {
        var listed = await http.GetFromJsonAsync<JsonElement>("/api/sessions").WaitAsync(s_timeout);
        return [.. listed.EnumerateArray().Select(s => s.GetProperty("session_id").GetString())];
    }

    private static async Task<JsonElement> HealthAsync(HttpClient http) =>
        await http.GetFromJsonAsync<JsonElement>("/health").WaitAsync(s_timeout);

    /// <summary>What a client does on 1013: tries again a moment later, until the engine answers.</summary>
    private static async Task<TerminalSocketClient> ConnectWhenBackAsync(Uri baseAddress, string sessionId)
    {
        var deadline = DateTime.UtcNow + s_timeout;
        while (true)
        {
            var client = await TerminalSocketClient.ConnectAsync(baseAddress, $"/ws/terminal/{sessionId}");
            try
            {
                await client.WaitForAsync("$ ", TimeSpan.FromSeconds(5));
                return client;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && client.CloseStatus == (WebSocketCloseStatus)1013)
            {
                await client.DisposeAsync();
                await Task.Delay(500);
            }
        }
    }
}
