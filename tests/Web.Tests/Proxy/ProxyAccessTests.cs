using System.Net;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>
/// Access rules, the root socket's choice, token injection and activity, with the fake runtime: its
/// <c>Ports</c> map sends sandbox ports to upstream.js running on the host.
/// </summary>
public sealed class ProxyAccessTests : IAsyncLifetime
{
    private readonly FakeSandboxRuntime _runtime = new();
    private HostUpstream _upstream = default!;
    private RemoltAppFactory _app = default!;

    public async Task InitializeAsync()
    {
        _upstream = await HostUpstream.StartAsync();
        _runtime.Ports[18789] = _upstream.Port;
        _runtime.Ports[18080] = _upstream.Port;
        // Access rules on the app's paths directly; the apps origin in front of them is tested in Security/.
        _app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_PREVIEW_PORTS"] = "3000-3999,5173", ["REMOLT_APPS_PORT"] = "off" }, _runtime);
        _ = _app.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task SomeoneElsesSession_404LikeAnUnknownId_BeforeAnythingElse()
    {
        var bobs = await CreateAsync("bob", "openclaw");
        using var http = Client();

        await ProxyHttpTests.ShouldRefuseAsync(http, $"/proxy/{bobs.Id}/echo", HttpStatusCode.NotFound, "Session not found");
        await ProxyHttpTests.ShouldRefuseAsync(http, $"/vscode/{bobs.Id}/", HttpStatusCode.NotFound, "Session not found");
        await ProxyHttpTests.ShouldRefuseAsync(http, $"/proxy/{bobs.Id}/port/abc/", HttpStatusCode.NotFound, "Session not found");
        await using var socket = await ProxySocketClient.ConnectAsync(_app.BaseAddress, $"/vscode/{bobs.Id}/ws");
        (await socket.WaitForCloseAsync()).ShouldBe(4004);
        socket.CloseDescription.ShouldBe("Session not found");
    }

    [Fact]
    public async Task SessionStillCreating_409()
    {
        _runtime.CreateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var create = _app.Sessions.CreateAsync("anonymous", new CreateSessionRequest("openclaw"), CancellationToken.None);
        while (_runtime.CreateCalls == 0)
        {
            await Task.Delay(20);
        }

        var creating = _app.Sessions.Snapshot().ShouldHaveSingleItem();
        using var http = Client();
        await ProxyHttpTests.ShouldRefuseAsync(http, $"/proxy/{creating.Id}/", HttpStatusCode.Conflict, "Session is not running");

        _runtime.CreateGate.SetResult();
        await create.WaitAsync(TimeSpan.FromSeconds(30));
        using var running = await http.GetAsync($"/proxy/{creating.Id}/echo");
        running.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PortOutsideTheAllowList_400_InsideReachesIt()
    {
        var session = await CreateAsync("anonymous", "claude-code");
        _runtime.Ports[3000] = _upstream.Port;
        using var http = Client();

        await ProxyHttpTests.ShouldRefuseAsync(http, $"/proxy/{session.Id}/port/8080/", HttpStatusCode.BadRequest, "Port 8080 is not open for preview (allowed: 3000-3999,5173)");
        await ProxyHttpTests.ShouldRefuseAsync(http, $"/proxy/{session.Id}/port/65536/x", HttpStatusCode.BadRequest, "Invalid port: 65536 (a number from 1 to 65535)");
        using var allowed = await http.GetAsync($"/proxy/{session.Id}/port/3000/echo");
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        allowed.Headers.GetValues("Content-Security-Policy").ShouldContain(Web.Proxy.ResponseHeaderPolicy.PreviewSandboxPolicy);
    }

    [Fact]
    public async Task DashboardSocket_FirstConnectFrameGetsTheToken()
    {
        var session = await CreateAsync("anonymous", "openclaw");
        await using var socket = await ProxySocketClient.ConnectAsync(_app.BaseAddress, $"/proxy/{session.Id}/");

        await socket.SendTextAsync("""{"method":"connect","params":{"auth":{"token":false}}}""");

        (await socket.ReceiveTextAsync()).ShouldBe("""{"method":"connect","params":{"auth":{"token":"sandbox"}}}""");
    }

    [Fact]
    public async Task VsCodeSocket_NoTokenInjection()
    {
        var session = await CreateAsync("anonymous", "openclaw");
        await using var socket = await ProxySocketClient.ConnectAsync(_app.BaseAddress, $"/vscode/{session.Id}/");

        await socket.SendTextAsync("""{"method":"connect","params":{}}""");

        (await socket.ReceiveTextAsync()).ShouldBe("""{"method":"connect","params":{}}""");
    }

    [Fact]
    public async Task RootSocket_RememberedDashboardFirst_ElseMostRecentlyActive_ElseRefused()
    {
        await using (var none = await ProxySocketClient.ConnectAsync(_app.BaseAddress, "/"))
        {
            (await none.WaitForCloseAsync()).ShouldBe(4004);
            none.CloseDescription.ShouldBe("No active dashboard session");
        }

        var first = await CreateAsync("anonymous", "openclaw");
        var second = await CreateAsync("anonymous", "openclaw");
        var bobs = await CreateAsync("bob", "openclaw");
        await CreateAsync("anonymous", "claude-code");
        await Task.Delay(20);
        _app.Sessions.Touch(first);

        (await RootPrefixAsync(cookie: null)).ShouldBe($"/proxy/{first.Id}");
        (await RootPrefixAsync($"remolt_dashboard={bobs.Id}")).ShouldBe($"/proxy/{first.Id}"); // not the caller's: ignored
        (await RootPrefixAsync("remolt_dashboard=nosuchsession")).ShouldBe($"/proxy/{first.Id}");
        (await RootPrefixAsync($"remolt_dashboard={second.Id}")).ShouldBe($"/proxy/{second.Id}");

        // Using a dashboard is activity: the one just used is now the most recent.
        (await RootPrefixAsync(cookie: null)).ShouldBe($"/proxy/{second.Id}");
    }

    [Fact]
    public async Task DashboardPage_SetsTheRootSocketCookie()
    {
        var session = await CreateAsync("anonymous", "openclaw");
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/proxy/{session.Id}/echo");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "iframe");

        using var response = await http.SendAsync(request);

        response.Headers.GetValues("Set-Cookie").ShouldContain($"remolt_dashboard={session.Id}; path=/; samesite=strict; httponly");
    }

    [Fact]
    public async Task ProxyTraffic_CountsAsActivity()
    {
        var session = await CreateAsync("anonymous", "openclaw");
        var before = session.LastActivity;
        await Task.Delay(50);
        using var http = Client();

        using var response = await http.GetAsync($"/vscode/{session.Id}/echo");
        var afterHttp = session.LastActivity;
        await Task.Delay(1100); // socket traffic must come at a later time to count
        await using var socket = await ProxySocketClient.ConnectAsync(_app.BaseAddress, $"/proxy/{session.Id}/ws");
        var connected = session.LastActivity;
        await Task.Delay(1100);
        await socket.SendTextAsync("ping");
        await socket.ReceiveTextAsync();

        afterHttp.ShouldBeGreaterThan(before);
        session.LastActivity.ShouldBeGreaterThan(connected);
    }

    [Fact]
    public async Task VsCodeSocketTraffic_CountsAsActivity()
    {
        var session = await CreateAsync("anonymous", "openclaw");
        await using var socket = await ProxySocketClient.ConnectAsync(_app.BaseAddress, $"/vscode/{session.Id}/ws");
        await socket.SendTextAsync("ping");
        await socket.ReceiveTextAsync();
        var connected = session.LastActivity;
        await Task.Delay(50); // a later time than the connect's

        await socket.SendTextAsync("ping");
        await socket.ReceiveTextAsync();

        session.LastActivity.ShouldBeGreaterThan(connected);
    }

    [Fact]
    public async Task UpstreamRefusesTheUpgrade_SocketClosed4005()
    {
        var session = await CreateAsync("anonymous", "openclaw");
        using var refusing = ServeOnceOnVsCodePort(async stream =>
        {
            _ = await stream.ReadAsync(new byte[8192]);
            await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot here!"u8.ToArray());
        }, out var serve);

        await using var socket = await ProxySocketClient.ConnectAsync(_app.BaseAddress, $"/vscode/{session.Id}/ws");

        (await socket.WaitForCloseAsync()).ShouldBe(4005);
        socket.CloseDescription.ShouldBe("The upstream refused the WebSocket");
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task UpstreamSilentPastTheHeadersTimeout_504WithDetail()
    {
        await using var app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_PROXY_HEADERS_TIMEOUT"] = "1", ["REMOLT_APPS_PORT"] = "off" }, _runtime);
        var session = await app.Sessions.CreateAsync("anonymous", new CreateSessionRequest("openclaw"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        using var silent = ServeOnceOnVsCodePort(async stream =>
        {
            _ = await stream.ReadAsync(new byte[8192]);
            await Task.Delay(TimeSpan.FromSeconds(5)); // reads the request, never answers
        }, out var serve);
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var started = DateTime.UtcNow;

        await ProxyHttpTests.ShouldRefuseAsync(http, $"/vscode/{session.Id}/", HttpStatusCode.GatewayTimeout, "The upstream did not answer in time");

        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(4));
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task BodyPausesLongerThanTheHeadersTimeout_StreamsOnToTheEnd()
    {
        await using var app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_PROXY_HEADERS_TIMEOUT"] = "1", ["REMOLT_APPS_PORT"] = "off" }, _runtime);
        var session = await app.Sessions.CreateAsync("anonymous", new CreateSessionRequest("openclaw"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        using var events = ServeOnceOnVsCodePort(async stream =>
        {
            _ = await stream.ReadAsync(new byte[8192]);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\nb\r\ndata: one\n\n\r\n"u8.ToArray());
            await Task.Delay(TimeSpan.FromSeconds(2.5)); // a quiet event stream, well past the headers timeout
            await stream.WriteAsync("b\r\ndata: two\n\n\r\n0\r\n\r\n"u8.ToArray());
        }, out var serve);
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var body = await http.GetStringAsync($"/vscode/{session.Id}/events");

        body.ShouldBe("data: one\n\ndata: two\n\n");
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task UpstreamSpeaksGarbage_502WithDetail_NotTheStartingPage()
    {
        var session = await CreateAsync("anonymous", "openclaw");
        using var garbage = ServeOnceOnVsCodePort(stream => stream.WriteAsync("this is not HTTP\r\n\r\n"u8.ToArray()).AsTask(), out var serve);
        using var http = Client();

        await ProxyHttpTests.ShouldRefuseAsync(http, $"/vscode/{session.Id}/", HttpStatusCode.BadGateway, "The upstream closed the connection or sent an invalid response");
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>A stand-in for code-server that answers one connection with <paramref name="answer"/>.</summary>
    private System.Net.Sockets.TcpListener ServeOnceOnVsCodePort(Func<System.Net.Sockets.NetworkStream, Task> answer, out Task serve)
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _runtime.Ports[18080] = ((IPEndPoint)listener.LocalEndpoint).Port;
        serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await answer(client.GetStream());
        });
        return listener;
    }

    private async Task<string?> RootPrefixAsync(string? cookie)
    {
        await using var socket = await ProxySocketClient.ConnectAsync(_app.BaseAddress, "/", cookie: cookie);
        await socket.SendTextAsync("headers");
        var headers = JsonDocument.Parse(await socket.ReceiveTextAsync()).RootElement.GetProperty("headers");
        headers.EnumerateObject().ShouldNotContain(h => h.Name.StartsWith("x-forwarded-"), "the dashboard gets no forwarded headers");
        // Which sandbox the socket reached (the fake's sandbox ids are "fake-" + the session id).
        var sandbox = _runtime.Connects[^1].SandboxId;
        return $"/proxy/{sandbox["fake-".Length..]}";
    }

    private Task<Session> CreateAsync(string owner, string agent) =>
        _app.Sessions.CreateAsync(owner, new CreateSessionRequest(agent), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    private HttpClient Client() => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = _app.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };
}
