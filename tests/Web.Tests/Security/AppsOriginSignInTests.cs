using System.Net;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Auth;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>
/// With sign-in on, the apps origin still works without the app's sign-in (it never reads it; under REMOLT_APPS_HOST
/// the browser does not even send it there), while the app origin's proxy paths still require a signed-in caller.
/// </summary>
public sealed class AppsOriginSignInTests : IAsyncLifetime
{
    private readonly FakeSandboxRuntime _runtime;
    private readonly Hosting.RemoltAppFactory _app;
    private ForeignSite _upstream = default!;
    private CookieClient _signedIn = default!;
    private string _id = "";

    public AppsOriginSignInTests() => _app = App(out _runtime, new() { ["REMOLT_AUTH"] = "token" });

    public async Task InitializeAsync()
    {
        _upstream = await ForeignSite.StartAsync();
        _runtime.Ports[18080] = _upstream.Address.Port;
        _signedIn = new CookieClient(_app.BaseAddress);
        var token = File.ReadAllText(Path.Combine(_app.DataDirectory, "login-token")).Trim();
        (await _signedIn.Http.GetAsync("/auth/token?token=" + token)).EnsureSuccessStatusCode();
        _id = await CreateAsync(_signedIn.Http, "claude-code");
    }

    public async Task DisposeAsync()
    {
        _signedIn.Dispose();
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task TicketLink_FollowedWithoutTheAppsSignIn_ServesTheSandbox()
    {
        using var session = await _signedIn.Http.GetAsync($"/api/sessions/{_id}");
        var vscodeUrl = JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement.GetProperty("vscode_url").GetString()!;

        using var links = new AppsLinks(); // its own cookie jar: no remolt_auth
        var page = await links.EnterAsync(vscodeUrl, _app.BaseAddress);
        using var response = await links.Client.GetAsync(page);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("another site");
    }

    [Fact]
    public async Task AppsCookie_StopsWorkingWhenTheSignInItCameFromEnds()
    {
        using var session = await _signedIn.Http.GetAsync($"/api/sessions/{_id}");
        var vscodeUrl = JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement.GetProperty("vscode_url").GetString()!;
        using var links = new AppsLinks();
        var page = await links.EnterAsync(vscodeUrl, _app.BaseAddress);
        using (var before = await links.Client.GetAsync(page))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (await _signedIn.Http.GetAsync("/auth/logout"))
        {
        }

        (await _signedIn.GetJsonAsync("/auth/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);

        using var after = await links.Client.GetAsync(page);
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RootSocket_OnTheAppsOrigin_AdmittedByTheAppsCookieAlone()
    {
        await using var upstream = await Proxy.HostUpstream.StartAsync();
        _runtime.Ports[18789] = upstream.Port; // OpenClaw's gateway in the fake sandbox
        var id = await CreateAsync(_signedIn.Http, "openclaw");
        using var session = await _signedIn.Http.GetAsync($"/api/sessions/{id}");
        var proxyUrl = JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement.GetProperty("proxy_url").GetString()!;
        using var links = new AppsLinks(); // no remolt_auth in this jar
        var dashboard = await links.EnterAsync(proxyUrl, _app.BaseAddress);
        using var navigation = new HttpRequestMessage(HttpMethod.Get, dashboard) { Headers = { { "Accept", "text/html" } } };
        using var page = await links.Client.SendAsync(navigation);

        await using var socket = await Proxy.ProxySocketClient.ConnectAsync(dashboard, "/", cookie: links.Cookies.GetCookieHeader(dashboard));
        await socket.SendTextAsync("headers");

        JsonDocument.Parse(await socket.ReceiveTextAsync()).RootElement.TryGetProperty("headers", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("/vscode/{0}/")]
    [InlineData("/proxy/{0}/")]
    public async Task AppOriginProxyPath_WithoutSignIn_IsRefused(string template)
    {
        using var nobody = new CookieClient(_app.BaseAddress, followRedirects: false);

        using var response = await nobody.Http.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _id));

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Redirect);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            response.Headers.Location!.ToString().ShouldStartWith("/signin");
        }
    }
}
