using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>
/// State-changing API requests a page of another site can make with the user's cookie: refused by Origin and
/// Sec-Fetch-Site, and the no-cors empty POST (which needs no preflight) never creates a session.
/// </summary>
public sealed class CrossSiteTests
{
    private const string Json = "{\"agent_type\":\"claude-code\"}";

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain;charset=UTF-8")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task CreateSession_EmptyNoCorsPost_415AndNoSession(string? contentType)
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = new ByteArrayContent([]) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await DetailAsync(response)).ShouldBe("Unsupported Media Type");
        runtime.CreateCalls.ShouldBe(0);
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "http://localhost:5173")] // the original's default allowed origin
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task CreateSession_CrossSite_403AndNoSession(string header, string value)
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        using var request = JsonPost(Json);
        request.Headers.Add(header, value);

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await DetailAsync(response)).ShouldBe("Invalid origin");
        runtime.CreateCalls.ShouldBe(0);
    }

    [Fact]
    public async Task DeleteSession_ForeignOrigin_403AndSessionStays()
    {
        await using var app = App(out _);
        using var client = Client(app);
        var id = await CreateAsync(client, "claude-code");
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/sessions/{id}");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        app.Sessions.Snapshot().Select(s => s.Id).ShouldBe([id]);
    }

    [Fact]
    public async Task CreateSession_SameOriginBrowser_Created()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        using var request = JsonPost(Json);
        request.Headers.Add("Origin", app.BaseAddress.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        runtime.CreateCalls.ShouldBe(1);
    }

    [Fact]
    public async Task CreateSession_ListedOrigin_Created()
    {
        await using var app = App(out var runtime, new() { ["REMOLT_ALLOWED_ORIGINS"] = "https://ui.example" });
        using var client = Client(app);
        using var request = JsonPost(Json);
        request.Headers.Add("Origin", "https://ui.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        runtime.CreateCalls.ShouldBe(1);
    }

    [Fact]
    public async Task CorsPreflight_DefaultSettings_Localhost5173GetsNoAllowOrigin()
    {
        await using var app = App(out _);
        using var client = Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/sessions");
        request.Headers.Add("Origin", "http://localhost:5173");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        response.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
    }

    [Fact]
    public async Task TerminalSocket_Localhost5173ByDefault_Closed4003()
    {
        await using var app = App(out _);
        using var client = Client(app);
        var id = await CreateAsync(client, "claude-code");

        await using var socket = await Realtime.TerminalSocketClient.ConnectAsync(app.BaseAddress, $"/ws/terminal/{id}", "http://localhost:5173");
        await socket.WaitForCloseAsync();

        ((int?)socket.CloseStatus).ShouldBe(4003);
        socket.CloseDescription.ShouldBe("Invalid origin");
    }

    [Fact]
    public async Task BlazorHub_ForeignOrigin_403()
    {
        await using var app = App(out _);
        using var client = Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static HttpRequestMessage JsonPost(string json) =>
        new(HttpMethod.Post, "/api/sessions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
