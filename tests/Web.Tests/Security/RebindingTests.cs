using System.Net;
using System.Net.WebSockets;
using System.Text;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>
/// DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 talks to the app with
/// <c>Host: evil.example:5400</c> and the matching Origin. The probe created a session, listed sessions and typed into a
/// terminal that way; every route, socket and the Blazor hub must refuse that Host.
/// </summary>
public sealed class RebindingTests
{
    private const string EvilHost = "evil.example:5400";
    private const string EvilOrigin = "http://evil.example:5400";

    [Fact]
    public async Task CreateSession_RebindingHostAndOrigin_421AndNoSession()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        using var request = Evil(HttpMethod.Post, "/api/sessions");
        request.Content = new StringContent("{\"agent_type\":\"claude-code\"}", Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("REMOLT_ALLOWED_HOSTS");
        runtime.CreateCalls.ShouldBe(0);
        app.Sessions.Snapshot().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("GET", "/api/sessions")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/health")]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1")]
    [InlineData("GET", "/vscode/abc/")]
    [InlineData("GET", "/proxy/abc/")]
    public async Task AnyRoute_RebindingHost_421(string method, string path)
    {
        await using var app = App(out _);
        using var client = Client(app);
        using var request = Evil(new HttpMethod(method), path);

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest);
    }

    [Fact]
    public async Task TerminalSocket_RebindingHostAndOrigin_HandshakeRefused()
    {
        await using var app = App(out _);
        using var client = Client(app);
        var id = await CreateAsync(client, "claude-code"); // the victim's own session, created the normal way
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Host", EvilHost);
        socket.Options.SetRequestHeader("Origin", EvilOrigin);
        socket.Options.CollectHttpResponseDetails = true;

        var failure = await Should.ThrowAsync<WebSocketException>(
            socket.ConnectAsync(new Uri($"ws://{app.BaseAddress.Authority}/ws/terminal/{id}"), CancellationToken.None).WaitAsync(ApiTimeout));

        socket.HttpStatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest, failure.Message);
    }

    [Fact]
    public async Task LoopbackNames_DefaultList_StillServed()
    {
        await using var app = App(out _);
        using var client = Client(app);
        foreach (var host in new[] { "localhost", $"127.0.0.1:{app.BaseAddress.Port}", $"[::1]:{app.BaseAddress.Port}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
            request.Headers.Host = host;
            using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, host);
        }
    }

    [Fact]
    public async Task ConfiguredHost_RemoltAllowedHosts_ServedAndLoopbackNoLongerImplied()
    {
        await using var app = App(out _, new() { ["REMOLT_ALLOWED_HOSTS"] = "remolt.example.com" });
        using var client = Client(app);
        using var named = new HttpRequestMessage(HttpMethod.Get, "/api/sessions") { Headers = { Host = "remolt.example.com" } };
        using var local = new HttpRequestMessage(HttpMethod.Get, "/api/sessions") { Headers = { Host = "localhost" } };

        using var namedResponse = await client.SendAsync(named).WaitAsync(ApiTimeout);
        using var localResponse = await client.SendAsync(local).WaitAsync(ApiTimeout);

        namedResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        localResponse.StatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest);
    }

    private static HttpRequestMessage Evil(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = EvilHost;
        request.Headers.Add("Origin", EvilOrigin);
        return request;
    }
}
