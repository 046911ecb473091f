using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>WebSockets through /proxy, /vscode, the port preview and the root socket to upstream.js in a real sandbox.</summary>
[Collection(ProxySandboxCollection.Name)]
public sealed class ProxySocketTests(ProxySandboxFixture fixture)
{
    private string Dash => $"/proxy/{fixture.Dashboard.Id}";

    public static TheoryData<string> ProxiedPaths => new() { "/proxy/{id}/ws", "/vscode/{id}/ws", "/proxy/{id}/port/5173/ws" };

    [DockerFact]
    public async Task Echo_TextAndBinaryKeepTheirType_SubprotocolNegotiated()
    {
        await using var client = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, $"/vscode/{fixture.Dashboard.Id}/echo", subProtocols: ["chat.v2", "chat.v1"]);
        var large = new byte[300_000];
        Random.Shared.NextBytes(large);

        await client.SendTextAsync("hello");
        var text = await client.ReceiveAsync();
        await client.SendBinaryAsync([1, 2, 3, 0, 255]);
        var binary = await client.ReceiveAsync();
        await client.SendBinaryAsync(large);
        var echoedLarge = await client.ReceiveAsync();

        client.SubProtocol.ShouldBe("chat.v2");
        text.Type.ShouldBe(WebSocketMessageType.Text);
        Encoding.UTF8.GetString(text.Data).ShouldBe("hello");
        binary.Type.ShouldBe(WebSocketMessageType.Binary);
        binary.Data.ShouldBe(new byte[] { 1, 2, 3, 0, 255 });
        echoedLarge.Data.ShouldBe(large);
    }

    [DockerFact]
    public async Task UpstreamCloses_BrowserSocketClosedWithItsCode()
    {
        await using var client = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, $"{Dash}/port/5173/close");

        await client.SendTextAsync("close-me");

        (await client.WaitForCloseAsync()).ShouldBe(4321);
        client.CloseDescription.ShouldBe("bye");
    }

    [DockerFact]
    public async Task BrowserCloses_UpstreamSocketClosedWithItsCode()
    {
        var path = $"/closing-{Guid.NewGuid():N}";
        var client = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, $"/vscode/{fixture.Dashboard.Id}{path}");
        await client.SendTextAsync("ping");
        await client.ReceiveTextAsync();

        await client.Socket.CloseAsync((WebSocketCloseStatus)4100, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await client.DisposeAsync();

        using var http = fixture.NewClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonElement closed;
        do
        {
            await Task.Delay(100);
            var events = JsonDocument.Parse(await http.GetStringAsync($"/vscode/{fixture.Dashboard.Id}/ws-events")).RootElement;
            closed = events.EnumerateArray().Single(e => e.GetProperty("path").GetString() == path).GetProperty("closed");
        }
        while (closed.ValueKind == JsonValueKind.Null && DateTime.UtcNow < deadline);

        closed.GetProperty("code").GetInt32().ShouldBe(4100);
        closed.GetProperty("how").GetString().ShouldBe("client");
    }

    [DockerFact]
    public async Task Cookies_OnlySandboxCookiesReachTheUpstreamSocket_OriginOnlyForTheDashboard()
    {
        await using var dashboard = await ProxySocketClient.ConnectAsync(
            fixture.App.BaseAddress, $"{Dash}/ws", origin: ProxySandboxFixture.AllowedOrigin, cookie: "remolt_auth=secret; sandbox=keep");
        await using var vscode = await ProxySocketClient.ConnectAsync(
            fixture.App.BaseAddress, $"/vscode/{fixture.Dashboard.Id}/ws", origin: ProxySandboxFixture.AllowedOrigin, cookie: "remolt_auth=secret");

        await dashboard.SendTextAsync("headers");
        var dashboardHeaders = JsonDocument.Parse(await dashboard.ReceiveTextAsync()).RootElement.GetProperty("headers");
        await vscode.SendTextAsync("headers");
        var vscodeHeaders = JsonDocument.Parse(await vscode.ReceiveTextAsync()).RootElement.GetProperty("headers");

        dashboardHeaders.GetProperty("cookie").GetString().ShouldBe("sandbox=keep");
        dashboardHeaders.GetProperty("origin").GetString().ShouldBe(ProxySandboxFixture.AllowedOrigin);
        dashboardHeaders.GetProperty("host").GetString().ShouldBe("localhost:18789");
        vscodeHeaders.TryGetProperty("cookie", out _).ShouldBeFalse();
        vscodeHeaders.TryGetProperty("origin", out _).ShouldBeFalse();
    }

    [DockerTheory]
    [MemberData(nameof(ProxiedPaths))]
    public async Task ForeignOrigin_Closes4003_OnEveryProxiedSocket(string pattern)
    {
        await using var client = await ProxySocketClient.ConnectAsync(
            fixture.App.BaseAddress, pattern.Replace("{id}", fixture.Dashboard.Id, StringComparison.Ordinal), origin: "https://evil.example");

        (await client.WaitForCloseAsync()).ShouldBe(4003);
        client.CloseDescription.ShouldBe("Invalid origin");
    }

    [DockerFact]
    public async Task ForeignOrigin_OnRootSocket_Closes4003()
    {
        await using var client = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, "/", origin: "https://evil.example");

        (await client.WaitForCloseAsync()).ShouldBe(4003);
    }

    [DockerFact]
    public async Task Refusals_CloseWithTheTerminalsCodes()
    {
        await using var unknown = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, "/vscode/nosuchsession/ws");
        await using var noWebUi = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, $"/proxy/{fixture.Plain.Id}/ws");
        await using var badPort = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, $"{Dash}/port/22/ws", subProtocols: ["x"]);
        await using var closed = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, $"/vscode/{fixture.Plain.Id}/ws");

        (await unknown.WaitForCloseAsync()).ShouldBe(4004);
        (await noWebUi.WaitForCloseAsync()).ShouldBe(4000);
        noWebUi.CloseDescription.ShouldBe("This agent has no web UI");
        (await badPort.WaitForCloseAsync()).ShouldBe(4000);
        (await closed.WaitForCloseAsync()).ShouldBe(1013);
        closed.CloseDescription.ShouldBe("Starting VS Code...");
    }

    [DockerFact]
    public async Task DashboardSocket_OnTheBarePrefix_ReachesTheUpstreamRoot()
    {
        // OpenClaw's page opens its socket on the base path without the slash; browsers do not follow a redirect.
        await using var client = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, Dash);

        await client.SendTextAsync("""{"method":"connect","params":{}}""");

        JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement
            .GetProperty("params").GetProperty("auth").GetProperty("token").GetString().ShouldBe("sandbox");
    }

    [DockerFact]
    public async Task DashboardSocket_ConnectFrameGetsTheAgentsToken()
    {
        await using var client = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, $"{Dash}/");

        await client.SendTextAsync("""{"type":"req","method":"connect","params":{"auth":{}}}""");
        var first = JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement;
        await client.SendTextAsync("""{"method":"connect","params":{}}""");
        var second = await client.ReceiveTextAsync();

        first.GetProperty("params").GetProperty("auth").GetProperty("token").GetString().ShouldBe("sandbox");
        second.ShouldBe("""{"method":"connect","params":{}}"""); // only the first frame is rewritten
    }

    [DockerFact]
    public async Task RootSocket_WithoutSignIn_ReachesTheDashboard()
    {
        await using var client = await ProxySocketClient.ConnectAsync(fixture.App.BaseAddress, "/?session=1");

        await client.SendTextAsync("headers");
        var echo = JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement;

        echo.GetProperty("path").GetString().ShouldBe("/?session=1");
        echo.GetProperty("headers").GetProperty("host").GetString().ShouldBe("localhost:18789");
    }

    [DockerFact]
    public async Task RootGet_IsStillTheAppsPage()
    {
        using var http = fixture.NewClient();

        var html = await http.GetStringAsync("/");

        html.ShouldContain("_framework/blazor.web.js");
    }
}
