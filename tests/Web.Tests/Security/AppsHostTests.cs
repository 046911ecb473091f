using System.Net;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>
/// REMOLT_APPS_HOST: sandbox content under a wildcard host, one subdomain per session (Coder's app-proxy style).
/// The names are not in DNS, so requests go to the app's port with the Host header a browser would send.
/// </summary>
public sealed class AppsHostTests : IAsyncLifetime
{
    private const string Wildcard = "*.apps.remolt.test";
    private readonly RemoltAppFactory _app;
    private readonly FakeSandboxRuntime _runtime;
    private ForeignSite _upstream = default!;
    private HttpClient _client = default!;

    public AppsHostTests() => _app = App(out _runtime, new() { ["REMOLT_APPS_HOST"] = Wildcard });

    public async Task InitializeAsync()
    {
        _upstream = await ForeignSite.StartAsync();
        _runtime.Ports[18080] = _upstream.Address.Port;
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _app.BaseAddress, Timeout = ApiTimeout };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task VsCodeUrl_OnTheSessionsSubdomain_TicketCookieThenContent()
    {
        var id = await CreateAsync(_client, "claude-code");
        var link = new Uri(await VsCodeUrlAsync(id));
        link.Host.ShouldBe($"{id}.apps.remolt.test");
        link.Port.ShouldBe(_app.BaseAddress.Port);

        using var enter = await SendAsync(link, cookie: null);
        enter.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        enter.Headers.Location!.OriginalString.ShouldBe($"/vscode/{id}/");
        var cookie = enter.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith($"remolt_apps_{id}=", StringComparison.Ordinal)).Split(';')[0];
        using var page = await SendAsync(new Uri(link, $"/vscode/{id}/"), cookie);

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("another site");
    }

    [Fact]
    public async Task Subdomain_OfOneSession_ServesNoOtherSessionAndNoAppRoute()
    {
        var id = await CreateAsync(_client, "claude-code");
        var other = await CreateAsync(_client, "claude-code");
        var link = new Uri(await VsCodeUrlAsync(id));
        using var enter = await SendAsync(link, cookie: null);
        var cookie = enter.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        using var otherSession = await SendAsync(new Uri(link, $"/vscode/{other}/"), cookie);
        using var api = await SendAsync(new Uri(link, "/api/sessions"), cookie);
        using var ui = await SendAsync(new Uri(link, "/"), cookie);

        otherSession.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        api.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        ui.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Socket_OnTheSessionsSubdomain_ItsOwnOriginAllowed_TheAppsRefused()
    {
        var id = await CreateAsync(_client, "claude-code");
        var link = new Uri(await VsCodeUrlAsync(id));
        using var enter = await SendAsync(link, cookie: null);
        var cookie = enter.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        var own = await SocketCloseAsync(link, cookie, $"http://{link.Authority}");
        var app = await SocketCloseAsync(link, cookie, _app.BaseAddress.GetLeftPart(UriPartial.Authority));

        own.ShouldNotBe("Invalid origin"); // it reaches the upstream (which here speaks no WebSocket)
        app.ShouldBe("Invalid origin");
    }

    [Fact]
    public async Task AppsHost_IsNotTheApp_AndOtherHostsStillRefused()
    {
        using var bare = new HttpRequestMessage(HttpMethod.Get, "/api/sessions") { Headers = { Host = "apps.remolt.test" } };
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/sessions") { Headers = { Host = "evil.example" } };

        using var bareResponse = await _client.SendAsync(bare).WaitAsync(ApiTimeout);
        using var foreignResponse = await _client.SendAsync(foreign).WaitAsync(ApiTimeout);

        bareResponse.StatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest);
        foreignResponse.StatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest);
    }

    private async Task<string> VsCodeUrlAsync(string id)
    {
        using var response = await _client.GetAsync($"/api/sessions/{id}").WaitAsync(ApiTimeout);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("vscode_url").GetString()!;
    }

    /// <summary>How the VS Code socket on <paramref name="link"/>'s subdomain ends for a page of <paramref name="origin"/>.</summary>
    private async Task<string?> SocketCloseAsync(Uri link, string cookie, string origin)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.SetRequestHeader("Host", link.Authority);
        socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", origin);
        var id = link.Host.Split('.')[0];
        await socket.ConnectAsync(new Uri($"ws://{_app.BaseAddress.Authority}/vscode/{id}/socket"), CancellationToken.None).WaitAsync(ApiTimeout);
        var buffer = new byte[1024];
        while (socket.State == System.Net.WebSockets.WebSocketState.Open)
        {
            await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(ApiTimeout);
        }

        return socket.CloseStatusDescription;
    }

    /// <summary>A request to <paramref name="url"/>'s name, delivered to the app's port.</summary>
    private Task<HttpResponseMessage> SendAsync(Uri url, string? cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery) { Headers = { Host = url.Authority } };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return _client.SendAsync(request).WaitAsync(ApiTimeout);
    }
}
