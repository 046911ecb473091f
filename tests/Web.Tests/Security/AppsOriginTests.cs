using System.Net;
using System.Text;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>
/// Sandbox content on its own origin (a second port here): reached only through a ticket the app mints, never with
/// the app's cookie, and the app's API, sockets and UI are not there; the app refuses that origin.
/// </summary>
public sealed class AppsOriginTests : IAsyncLifetime
{
    private readonly RemoltAppFactory _app;
    private readonly FakeSandboxRuntime _runtime;
    private ForeignSite _upstream = default!;
    private HttpClient _client = default!;
    private string _id = "";

    public AppsOriginTests() => _app = App(out _runtime);

    public async Task InitializeAsync()
    {
        _upstream = await ForeignSite.StartAsync();
        _runtime.Ports[18080] = _upstream.Address.Port; // "code-server" in the fake sandbox
        _client = Client(_app);
        _id = await CreateAsync(_client, "claude-code");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task VsCodeUrl_Followed_SetsAppsCookieAndServesTheSandboxThere()
    {
        using var links = new AppsLinks();
        var page = await links.EnterAsync(await VsCodeUrlAsync(), _app.BaseAddress);

        page.Port.ShouldNotBe(_app.BaseAddress.Port);
        links.Cookies.GetCookies(page)[$"remolt_apps_{_id}"].ShouldNotBeNull().HttpOnly.ShouldBeTrue();
        using var response = await links.Client.GetAsync(page).WaitAsync(ApiTimeout);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("another site"); // the upstream's page
        // Only the app (and the apps origin itself) may frame it: not any other page on the same site.
        response.Headers.GetValues("Content-Security-Policy")
            .ShouldContain($"frame-ancestors 'self' {_app.BaseAddress.GetLeftPart(UriPartial.Authority)}");
    }

    [Fact]
    public async Task OldPath_OnTheAppOrigin_RedirectsThroughTheTicketToTheSamePath()
    {
        using var links = new AppsLinks();

        using var old = await links.Client.GetAsync(new Uri(_app.BaseAddress, $"/vscode/{_id}/some/file?x=1&x=2")).WaitAsync(ApiTimeout);

        old.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await links.EnterAsync(old.Headers.Location!.ToString(), _app.BaseAddress);
        page.PathAndQuery.ShouldBe($"/vscode/{_id}/some/file?x=1&x=2");
    }

    [Fact]
    public async Task OldPath_SomeoneElsesOrUnknownSession_NoTicket()
    {
        using var links = new AppsLinks();

        using var unknown = await links.Client.GetAsync(new Uri(_app.BaseAddress, $"/vscode/{new string('a', 32)}/")).WaitAsync(ApiTimeout);

        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.Headers.Location.ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("remolt_auth=whatever; .AspNetCore.Cookies=whatever")] // the app's cookies: the browser sends them to any port
    [InlineData("remolt_apps_{id}=forged")]
    public async Task AppsOrigin_WithoutItsOwnCookie_Refused(string? cookie)
    {
        var apps = await AppsOriginAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(apps, $"/vscode/{_id}/"));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie.Replace("{id}", _id, StringComparison.Ordinal));
        }

        using var response = await _client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("another site");
    }

    [Fact]
    public async Task AppsCookie_OfOneSession_DoesNotOpenAnother()
    {
        var other = await CreateAsync(_client, "claude-code");
        using var links = new AppsLinks();
        var page = await links.EnterAsync(await VsCodeUrlAsync(), _app.BaseAddress);

        using var response = await links.Client.GetAsync(new Uri(page, $"/vscode/{other}/")).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-ticket")]
    public async Task Enter_BadTicket_401NoCookie(string ticket)
    {
        using var links = new AppsLinks();
        var apps = await AppsOriginAsync();

        using var response = await links.Client.GetAsync(new Uri(apps, $"/_apps/enter?ticket={ticket}")).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        links.Cookies.GetAllCookies().ShouldBeEmpty();
    }

    [Fact]
    public async Task Enter_OnTheAppOrigin_NotFound()
    {
        var ticket = new Uri(await VsCodeUrlAsync()).Query;
        using var links = new AppsLinks();

        using var response = await links.Client.GetAsync(new Uri(_app.BaseAddress, "/_apps/enter" + ticket)).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        links.Cookies.GetAllCookies().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("GET", "/api/sessions")]
    [InlineData("POST", "/api/sessions")]
    [InlineData("GET", "/health")]
    [InlineData("GET", "/")]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1")]
    [InlineData("GET", "/ws/terminal/{id}")]
    public async Task AppsOrigin_AppRoutes_NotThere(string method, string path)
    {
        var apps = await AppsOriginAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(apps, path.Replace("{id}", _id, StringComparison.Ordinal)));
        request.Headers.Add("Origin", apps.GetLeftPart(UriPartial.Authority));
        if (method == "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await _client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        _runtime.CreateCalls.ShouldBe(1);
    }

    [Fact]
    public async Task App_RequestsFromTheAppsOrigin_Refused()
    {
        var apps = (await AppsOriginAsync()).GetLeftPart(UriPartial.Authority);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        create.Headers.Add("Origin", apps);
        create.Headers.Add("Sec-Fetch-Site", "same-site");

        using var response = await _client.SendAsync(create).WaitAsync(ApiTimeout);
        await using var socket = await Realtime.TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_id}", apps);
        await socket.WaitForCloseAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ((int?)socket.CloseStatus).ShouldBe(4003);
        _runtime.CreateCalls.ShouldBe(1);
    }

    private async Task<string> VsCodeUrlAsync()
    {
        using var response = await _client.GetAsync($"/api/sessions/{_id}").WaitAsync(ApiTimeout);
        var body = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.GetProperty("vscode_url").GetString()!;
    }

    private async Task<Uri> AppsOriginAsync() => new(new Uri(await VsCodeUrlAsync()).GetLeftPart(UriPartial.Authority));
}
