using System.Text;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Realtime;

/// <summary>/ws/logs on real Docker, with test agents whose agent.json declares a log file, a command, or nothing.</summary>
public sealed class LogsSocketTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly string _agents = Path.Combine(Path.GetTempPath(), "remolt-logs-agents", Guid.NewGuid().ToString("N"));
    private RemoltAppFactory _app = default!;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        WriteAgent("logfile", "~/test-logs/app.log");
        WriteAgent("logcmd", "echo from-command; echo second-line");
        WriteAgent("nologs", null);
        await SandboxImage.EnsureBuiltAsync();
        _app = new RemoltAppFactory(new Dictionary<string, string?>
        {
            ["REMOLT_AGENTS_DIR"] = _agents,
            ["REMOLT_ALLOWED_ORIGINS"] = "https://allowed.example",
            ["REMOLT_LOGS_WAIT_SECONDS"] = "8",
        });
        _ = _app.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (Directory.Exists(_agents))
        {
            Directory.Delete(_agents, recursive: true);
        }
    }

    [DockerFact]
    public async Task Logs_FileAppearsLater_WaitsThenTailsAndFollows()
    {
        var session = await CreateAsync("logfile");
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/logs/{session.Id}");
        await client.WaitForAsync("Waiting for logs...\r\n");

        await ShAsync(session, "mkdir -p ~/test-logs && printf 'first line\\nsecond line\\n' > ~/test-logs/app.log");
        await client.WaitForAsync("first line\r\nsecond line\r\n");
        await ShAsync(session, "echo appended-later >> ~/test-logs/app.log");

        await client.WaitForAsync("appended-later\r\n");
        client.IsOpen.ShouldBeTrue();
    }

    [DockerFact]
    public async Task Logs_ClientCloses_TailIsStopped()
    {
        var session = await CreateAsync("logfile");
        await ShAsync(session, "mkdir -p ~/test-logs && echo ready > ~/test-logs/app.log");
        await using (var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/logs/{session.Id}"))
        {
            await client.WaitForAsync("ready");
            (await ShAsync(session, "pgrep -c -x tail || true")).ShouldBe("1");
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var count = "1";
        while (DateTime.UtcNow < deadline && (count = await ShAsync(session, "pgrep -c -x tail || true")) != "0")
        {
            await Task.Delay(200);
        }

        count.ShouldBe("0"); // a quiet `tail -F` would otherwise run until it next wrote
    }

    [DockerFact]
    public async Task Logs_FileNeverAppears_GivesUpWithTheOriginalsError()
    {
        var session = await CreateAsync("logfile");
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/logs/{session.Id}");

        var screen = await client.WaitForAsync("ERROR: Log file never appeared after 8 seconds. Agent setup may have failed.", TimeSpan.FromSeconds(30));

        screen.Split("Waiting for logs...").Length.ShouldBe(5); // every 2 s for 8 s
        (await client.WaitForCloseAsync()).ShouldBe(1000);
    }

    [DockerFact]
    public async Task Logs_CommandSource_StreamsItsOutputThenCloses()
    {
        var session = await CreateAsync("logcmd");
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/logs/{session.Id}");

        await client.WaitForAsync("from-command\r\nsecond-line\r\n");
        (await client.WaitForCloseAsync()).ShouldBe(1000);
    }

    [DockerFact]
    public async Task Logs_AgentWithoutLogs_Closes4004()
    {
        var session = await CreateAsync("nologs");
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/logs/{session.Id}");

        (await client.WaitForCloseAsync()).ShouldBe(4004);
        client.CloseDescription.ShouldBe("No logs for this agent");
    }

    [DockerFact]
    public async Task Logs_ForeignOrigin_Closes4003()
    {
        var session = await CreateAsync("logfile");
        await using var evil = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/logs/{session.Id}", origin: "https://evil.example");
        await using var allowed = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/logs/{session.Id}", origin: "https://allowed.example");

        (await evil.WaitForCloseAsync()).ShouldBe(4003);
        evil.CloseDescription.ShouldBe("Invalid origin");
        await allowed.WaitForAsync("Waiting for logs...");
    }

    [DockerFact]
    public async Task Logs_UnknownSessionAndForeignOwner_Both4004()
    {
        var foreign = await _app.Sessions.CreateAsync("mallory", new CreateSessionRequest("logfile"), CancellationToken.None).WaitAsync(s_timeout);
        await using var unknown = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, "/ws/logs/0123456789abcdefghijklmnopqrstuv");
        await using var theirs = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/logs/{foreign.Id}");

        (await unknown.WaitForCloseAsync()).ShouldBe(4004);
        unknown.CloseDescription.ShouldBe("Session not found");
        (await theirs.WaitForCloseAsync()).ShouldBe(4004);
        theirs.CloseDescription.ShouldBe("Session not found");
    }

    [DockerFact]
    public async Task SessionResponse_LogsUrl_FollowsAgentJsonLogs()
    {
        using var http = new HttpClient { BaseAddress = _app.BaseAddress, Timeout = s_timeout };
        var withLogs = await CreateAsync("logfile");
        var without = await CreateAsync("nologs");

        (await http.GetStringAsync($"/api/sessions/{withLogs.Id}")).ShouldContain($"\"logs_ws_url\":\"/ws/logs/{withLogs.Id}\"");
        (await http.GetStringAsync($"/api/sessions/{without.Id}")).ShouldContain("\"logs_ws_url\":null");
    }

    private Task<Session> CreateAsync(string agent) =>
        _app.Sessions.CreateAsync("anonymous", new CreateSessionRequest(agent), CancellationToken.None).WaitAsync(s_timeout);

    private async Task<string> ShAsync(Session session, string script)
    {
        var result = await _app.Runtime.ExecAsync(session.SandboxId!, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(s_timeout);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout).Trim();
    }

    private void WriteAgent(string id, string? logs)
    {
        var folder = Path.Combine(_agents, id);
        Directory.CreateDirectory(folder);
        var logsField = logs is null ? "" : $", \"logs\": {System.Text.Json.JsonSerializer.Serialize(logs)}";
        File.WriteAllText(Path.Combine(folder, "agent.json"), $$"""{ "id": "{{id}}", "name": "{{id}}"{{logsField}} }""");
    }
}
