using System.Net;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Proxy;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>
/// OpenClaw's root socket (<c>WS /</c>) on the apps origin, where its dashboard page now runs: it reaches the
/// dashboard the apps cookie admits, and nothing without that cookie.
/// </summary>
public sealed class AppsRootSocketTests : IAsyncLifetime
{
    private readonly RemoltAppFactory _app;
    private readonly FakeSandboxRuntime _runtime;
    private HostUpstream _upstream = default!;

    public AppsRootSocketTests() => _app = App(out _runtime);

    public async Task InitializeAsync()
    {
        _upstream = await HostUpstream.StartAsync();
        _runtime.Ports[18789] = _upstream.Port; // OpenClaw's gateway in the fake sandbox
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task RootSocket_OnTheAppsOrigin_FollowsTheAppsCookieOnly()
    {
        using var client = Client(_app);
        var id = await CreateAsync(client, "openclaw");
        using var response = await client.GetAsync($"/api/sessions/{id}").WaitAsync(ApiTimeout);
        var proxyUrl = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("proxy_url").GetString()!;
        using var links = new AppsLinks();
        var dashboard = await links.EnterAsync(proxyUrl, _app.BaseAddress);
        using var navigation = new HttpRequestMessage(HttpMethod.Get, dashboard) { Headers = { { "Accept", "text/html" } } };
        using var page = await links.Client.SendAsync(navigation).WaitAsync(ApiTimeout);
        var cookies = links.Cookies.GetCookieHeader(dashboard);
        cookies.ShouldContain($"remolt_dashboard={id}");

        await using (var admitted = await ProxySocketClient.ConnectAsync(dashboard, "/", cookie: cookies))
        {
            await admitted.SendTextAsync("headers");
            JsonDocument.Parse(await admitted.ReceiveTextAsync()).RootElement.TryGetProperty("headers", out _).ShouldBeTrue();
            _runtime.Connects[^1].ShouldBe(($"fake-{id}", 18789));
        }

        // The app's own sign-in and the dashboard cookie alone do not do it on the apps origin.
        await using var stranger = await ProxySocketClient.ConnectAsync(dashboard, "/", cookie: $"remolt_dashboard={id}; remolt_auth=x");
        (await stranger.WaitForCloseAsync()).ShouldBe(4004);
    }
}
