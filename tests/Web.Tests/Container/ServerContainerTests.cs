using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Auth;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Endpoints;
using RemoltBlazor.Web.Tests.Operations;
using RemoltBlazor.Web.Tests.Realtime;
using Xunit.Abstractions;

namespace RemoltBlazor.Web.Tests.Container;

/// <summary>The server image end to end: run as the README says, driven over HTTP and the raw terminal WebSocket.</summary>
public sealed partial class ServerContainerTests(ServerContainerFixture server, ChromiumBrowser chromium, ITestOutputHelper output)
    : IClassFixture<ServerContainerFixture>, IClassFixture<ChromiumBrowser>
{
    private void ReportTimes() =>
        output.WriteLine($"server image build (or cache check) {server.BuildTime.TotalSeconds:0.0} s, container start to /health {server.StartTime.TotalSeconds:0.0} s");

    [DockerFact]
    public async Task Session_TypedOverRawWebSocket_ReattachedWithEarlierOutputAfterContainerRestart()
    {
        ReportTimes();
        string id;
        const string Command = "echo before-$((6*7))-restart\r";
        using (var client = await server.SignInAsync())
        {
            var before = await ScrapeAsync(client);
            id = await SessionApiClient.CreateAsync(client.Http, "claude-code");
            await using (var terminal = await AttachAsync(client, id))
            {
                await terminal.WaitForAsync("$ ", TimeSpan.FromSeconds(30));
                await terminal.SendKeysAsync(Command);
                await terminal.WaitForAsync("before-42-restart");
            }

            // Other tests of this class may have used the same server process: compare with the scrape before.
            var after = await ScrapeAsync(client);
            Delta(before, after, "remolt_sessions", ("state", "running"), ("agent", "claude-code")).ShouldBe(1);
            Delta(before, after, "remolt_session_creates_total", ("agent", "claude-code"), ("result", "ok")).ShouldBe(1);
            Delta(before, after, "remolt_terminal_attaches_total", ("transport", "websocket")).ShouldBe(1);
            Delta(before, after, "remolt_terminal_bytes_total", ("direction", "in")).ShouldBe(Command.Length);
            Delta(before, after, "remolt_terminal_bytes_total", ("direction", "out")).ShouldBeGreaterThan("before-42-restart".Length);
        }

        await ServerContainerFixture.DockerAsync("restart", server.ContainerName);
        await server.WaitUntilServingAsync();

        using (var client = await server.SignInAsync())
        {
            // The reconciler reclaimed the sandbox: the same session, its tmux screen with the earlier output.
            var (status, session) = await client.GetJsonAsync($"/api/sessions/{id}");
            status.ShouldBe(HttpStatusCode.OK, session.ToString());
            session.GetProperty("status").GetString().ShouldBe("running");
            await using (var terminal = await AttachAsync(client, id))
            {
                await terminal.WaitForAsync("before-42-restart", TimeSpan.FromSeconds(30));
                await terminal.SendKeysAsync("echo after-$((7*8))\r");
                await terminal.WaitForAsync("after-56");
            }

            using var deleted = await client.Http.DeleteAsync($"/api/sessions/{id}");
            deleted.StatusCode.ShouldBe(HttpStatusCode.OK, await deleted.Content.ReadAsStringAsync());
        }

        await EventuallyAsync(async () => (await DockerCli.ListInstanceAsync(server.InstanceId)).Count == 0, TimeSpan.FromSeconds(60),
            "the app removed the sandbox and its network after DELETE");
    }

    [DockerFact]
    public async Task Workspace_UploadedArchive_ComesBackInTheDownload()
    {
        ReportTimes();
        using var client = await server.SignInAsync();
        var id = await SessionApiClient.CreateAsync(client.Http, "claude-code");
        try
        {
            var archive = new Tarball().Directory("docs").File("docs/from-the-host.txt", "uploaded through the server container\n").ToArray();
            using var body = new ByteArrayContent(archive);
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/gzip");
            using (var uploaded = await client.Http.PostAsync($"/api/sessions/{id}/upload", body))
            {
                uploaded.StatusCode.ShouldBe(HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync());
            }

            using var download = await client.Http.GetAsync($"/api/sessions/{id}/download");
            download.StatusCode.ShouldBe(HttpStatusCode.OK);
            Tarball.Read(await download.Content.ReadAsByteArrayAsync())
                .Single(e => e.Name == "workspace/docs/from-the-host.txt").Text.ShouldBe("uploaded through the server container\n");
        }
        finally
        {
            using var deleted = await client.Http.DeleteAsync($"/api/sessions/{id}");
            deleted.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [DockerFact]
    public async Task ReadinessAndOpenApi_AnswerAnonymously()
    {
        ReportTimes();
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var ready = await http.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        ready.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("status").GetString().ShouldBe("ready");
        body.GetProperty("checks").EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("ok").GetBoolean()))
            .ShouldBe([("database", true), ("runtime", true)], ignoreOrder: true);

        var openApi = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;
        openApi.GetProperty("openapi").GetString()!.ShouldStartWith("3.");
        openApi.GetProperty("paths").TryGetProperty("/api/sessions", out _).ShouldBeTrue();
        using var docs = await http.GetAsync("/api/docs");
        docs.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [DockerFact]
    public async Task Server_RunsAsNonRootUser_InTheSocketsGroup_AndReachesTheEngine()
    {
        ReportTimes();
        var status = await server.ExecAsync("cat", "/proc/1/status");
        var uids = Field(status, "Uid:");
        uids.ShouldAllBe(uid => uid == "10001", status);
        var socketGid = await server.ExecAsync("stat", "-c", "%g", "/var/run/docker.sock");
        Field(status, "Groups:").ShouldContain(socketGid);
        // Nothing of root's is kept: no capability at all.
        Field(status, "CapEff:").ShouldBe(["0000000000000000"]);
        (await server.ExecAsync("stat", "-c", "%u", "/data")).ShouldBe("10001");

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var health = JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement;
        health.GetProperty("runtime").GetString().ShouldBe("docker");
        health.GetProperty("runtime_available").GetBoolean().ShouldBeTrue(health.ToString());
    }

    [DockerFact]
    public async Task StartedWithUser_RunsTheCommandAsItIs_AndGroupAddGivesTheSocket()
    {
        ReportTimes();
        var socketGid = (await ServerContainerFixture.DockerAsync("run", "--rm", "--network", "none", "-v", $"{TestEnvironment.DockerSocketPath}:/var/run/docker.sock",
            "--entrypoint", "stat", ServerContainerFixture.Image, "-c", "%g", "/var/run/docker.sock")).Trim();
        var seen = await ServerContainerFixture.DockerAsync("run", "--rm", "--network", "none", "--user", "10001", "--group-add", socketGid,
            "-v", $"{TestEnvironment.DockerSocketPath}:/var/run/docker.sock", ServerContainerFixture.Image,
            "sh", "-c", "id -u; id -G; test -r /var/run/docker.sock && test -w /var/run/docker.sock && echo socket-usable");
        var lines = seen.Split('\n');
        lines[0].ShouldBe("10001");
        lines[1].Split(' ').ShouldContain(socketGid);
        lines[2].ShouldBe("socket-usable");
    }

    [DockerFact]
    public async Task Healthcheck_ImageCommandTurnsHealthy_AndFailsWhenNothingAnswers()
    {
        ReportTimes();
        await EventuallyAsync(async () => await ServerContainerFixture.DockerAsync("inspect", "-f", "{{.State.Health.Status}}", server.ContainerName) == "healthy",
            TimeSpan.FromSeconds(90), "the container's HEALTHCHECK turned healthy");
        (await server.ExecAsync("/app/RemoltBlazor.Web", "healthcheck")).ShouldStartWith("healthy: GET http://127.0.0.1:8080/health answered 200");

        var refused = await DockerCli.ExecuteAsync(["exec", server.ContainerName, "/app/RemoltBlazor.Web", "healthcheck", "http://127.0.0.1:9/health"], TimeSpan.FromSeconds(30));
        refused.ExitCode.ShouldBe(1);
        refused.Stdout.ShouldStartWith("unhealthy: GET http://127.0.0.1:9/health failed");
    }

    [DockerFact]
    public async Task TokenMode_AppliesOnTheWildcardAddress_AndTheLoggedSignInUrlNamesLocalhost()
    {
        ReportTimes();
        var logs = await server.LogsAsync();
        logs.ShouldContain("Sign-in mode: token");
        var token = await server.ExecAsync("cat", "/data/login-token");
        logs.ShouldContain($"http://localhost:8080/auth/token?token={token}");

        using var anonymous = new CookieClient(server.BaseAddress, followRedirects: false);
        using var refused = await anonymous.Http.GetAsync("/api/sessions");
        await CookieClient.ShouldBeAuthenticationRequiredAsync(refused);
    }

    [DockerFact]
    public async Task Sandbox_CannotReachTheServerContainer_NorTheDockerHostOnThePublishedPort()
    {
        ReportTimes();
        using var client = await server.SignInAsync();
        var id = await SessionApiClient.CreateAsync(client.Http, "claude-code");
        try
        {
            var serverAddress = IPAddress.Parse(await ServerContainerFixture.DockerAsync(
                "inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{server.Network}\").IPAddress}}}}", server.ContainerName));
            // The test runs on the Docker host: these are its addresses, and the published port listens on each.
            List<IPEndPoint> targets = [new(serverAddress, 8080), .. HostAddresses().Select(a => new IPEndPoint(a, server.HostPort))];
            var checkedTargets = new List<IPEndPoint>();
            foreach (var target in targets)
            {
                // Open from here (so a refusal inside the sandbox is the guard's doing, not a closed port)...
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(target.Address, target.Port).WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (SocketException) when (!HostAddresses().Contains(target.Address) && target.Address != serverAddress)
                {
                    continue; // the bridge of another test's network, gone since it was listed
                }

                // ...and closed from inside the sandbox.
                var script = $"timeout 5 bash -c 'exec 3<>/dev/tcp/{target.Address}/{target.Port}' 2>/dev/null && echo OPEN || echo BLOCKED";
                var seen = await ServerContainerFixture.DockerAsync("exec", $"remolt-{id}", "bash", "-c", script);
                $"{target} {seen}".ShouldBe($"{target} BLOCKED");
                checkedTargets.Add(target);
            }

            checkedTargets.ShouldContain(new IPEndPoint(serverAddress, 8080));
            output.WriteLine($"blocked from the sandbox: {string.Join(", ", checkedTargets)}");
            (await server.LogsAsync()).ShouldContain("The server runs in a container: sandboxes are also kept from");
        }
        finally
        {
            using var deleted = await client.Http.DeleteAsync($"/api/sessions/{id}");
            deleted.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [DockerFact]
    public async Task Image_SizeReported_UnderTheTarget()
    {
        ReportTimes();
        var bytes = long.Parse(await ServerContainerFixture.DockerAsync("image", "inspect", "-f", "{{.Size}}", ServerContainerFixture.Image), CultureInfo.InvariantCulture);
        output.WriteLine($"{ServerContainerFixture.Image}: {bytes / 1_000_000} MB");
        bytes.ShouldBeLessThan(250_000_000L);
        // The build stage's CA and SDK stay behind.
        (await ServerContainerFixture.DockerAsync("run", "--rm", "--network", "none", "--entrypoint", "sh", ServerContainerFixture.Image, "-c",
            "ls /tmp/extra-ca.crt /usr/share/dotnet 2>&1 | wc -l; test -f /app/agents/claude-code/agent.json && echo agents")).ShouldBe("2\nagents");
    }

    /// <summary>The token mode's operator is the admin, who may read /metrics.</summary>
    private static async Task<PrometheusText> ScrapeAsync(CookieClient client)
    {
        using var response = await client.Http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return new PrometheusText(text);
    }

    /// <summary>How much a series grew between two scrapes (a series not there yet counts as 0).</summary>
    private static double Delta(PrometheusText before, PrometheusText after, string name, params (string Key, string Value)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);

    private async Task<TerminalSocketClient> AttachAsync(CookieClient client, string id)
    {
        var origin = $"http://{server.BaseAddress.Authority}";
        return await TerminalSocketClient.ConnectAsync(server.BaseAddress, $"/ws/terminal/{id}", origin, client.Cookies);
    }

    /// <summary>This machine's IPv4 addresses (the test runs on the Docker host), loopback aside.</summary>
    private static List<IPAddress> HostAddresses() =>
        [.. NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)).Distinct()];

    /// <summary>Asks every half second (each ask runs the docker CLI) until <paramref name="condition"/> holds.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0} s: {what}.");
            }

            await Task.Delay(500);
        }
    }

    private static string[] Field(string status, string name) =>
        status.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..]
            .Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
