using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Web.Hosting;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Endpoints;

/// <summary>The agents and health endpoints, unknown API routes and CORS, over real HTTP.</summary>
public sealed class ServiceApiTests
{
    [Fact]
    public async Task GetAgents_Always_ReturnsOriginalShape()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await client.GetAsync("/api/agents").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var agents = (await JsonAsync(response)).EnumerateArray().ToArray();
        agents.Select(a => a.GetProperty("id").GetString()).ShouldBe(["claude-code", "codex", "openclaw", "opencode"], ignoreOrder: true);
        foreach (var agent in agents)
        {
            Names(agent).ShouldBe(["id", "name", "description", "icon", "has_dashboard", "env_schema"], ignoreOrder: true);
            agent.GetProperty("name").ValueKind.ShouldBe(JsonValueKind.String);
            agent.GetProperty("description").ValueKind.ShouldBe(JsonValueKind.String);
            agent.GetProperty("icon").ValueKind.ShouldBe(JsonValueKind.String);
            foreach (var entry in agent.GetProperty("env_schema").EnumerateArray())
            {
                Names(entry).ShouldBe(["key", "label", "secret", "required"], ignoreOrder: true);
                entry.GetProperty("secret").ValueKind.ShouldBeOneOf(JsonValueKind.True, JsonValueKind.False);
                entry.GetProperty("required").ValueKind.ShouldBeOneOf(JsonValueKind.True, JsonValueKind.False);
            }
        }

        var claude = agents.Single(a => a.GetProperty("id").GetString() == "claude-code");
        claude.GetProperty("name").GetString().ShouldBe("Claude Code");
        claude.GetProperty("has_dashboard").GetBoolean().ShouldBeFalse();
        var key = claude.GetProperty("env_schema").EnumerateArray().ShouldHaveSingleItem();
        key.GetProperty("key").GetString().ShouldBe("ANTHROPIC_API_KEY");
        key.GetProperty("label").GetString().ShouldBe("Anthropic API Key");
        key.GetProperty("secret").GetBoolean().ShouldBeTrue();
        key.GetProperty("required").GetBoolean().ShouldBeFalse();
        agents.Single(a => a.GetProperty("id").GetString() == "openclaw").GetProperty("has_dashboard").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task GetHealth_Always_ReturnsStatusSessionsVersion()
    {
        await using var app = App(out _, new() { ["COMMIT_SHA"] = "abc1234" });
        using var client = Client(app);
        await CreateAsync(client, "claude-code");

        using var response = await client.GetAsync("/health").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        body.GetProperty("status").GetString().ShouldBe("ok");
        body.GetProperty("sessions").GetInt32().ShouldBe(1);
        body.GetProperty("version").GetString().ShouldBe("abc1234");
        body.GetProperty("runtime").GetString().ShouldBe("fake");
        body.GetProperty("runtime_available").GetBoolean().ShouldBeTrue();
    }

    [Theory]
    [InlineData("/api/xyz")]
    [InlineData("/api/sessions/abc/nothing-here")]
    [InlineData("/api")]
    public async Task UnknownApiRoute_Get_Returns404JsonDetail(string path)
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await client.GetAsync(path).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        (await DetailAsync(response)).ShouldBe("Not Found");
    }

    [Fact]
    public async Task UnknownApiRoute_Post_ReturnsClientErrorWithJsonDetail()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await PostJsonAsync(client, "/api/xyz", "{}");

        // The static-asset fallback route (GET only) makes routing answer 405, as the original does when it serves
        // its SPA; either way the body is the API's error shape.
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        (await DetailAsync(response)).ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task CorsPreflight_AllowedOrigin_GetsAllowOriginWithCredentials()
    {
        await using var app = App(out _, new() { ["REMOLT_ALLOWED_ORIGINS"] = "https://good.example, http://localhost:5173" });
        using var client = Client(app);

        using var response = await client.SendAsync(Preflight("https://good.example")).WaitAsync(ApiTimeout);

        response.IsSuccessStatusCode.ShouldBeTrue();
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://good.example"]);
        response.Headers.GetValues("Access-Control-Allow-Credentials").ShouldBe(["true"]);
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")).ShouldContain("POST");
    }

    [Fact]
    public async Task CorsPreflight_EvilOrigin_GetsNoAllowOrigin()
    {
        await using var app = App(out _, new() { ["REMOLT_ALLOWED_ORIGINS"] = "https://good.example" });
        using var client = Client(app);

        using var response = await client.SendAsync(Preflight("https://evil.example")).WaitAsync(ApiTimeout);

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        response.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
    }

    [Fact]
    public async Task CorsSimpleRequest_AllowedOrigin_GetsAllowOrigin()
    {
        await using var app = App(out _, new() { ["REMOLT_ALLOWED_ORIGINS"] = "https://good.example" });
        using var client = Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/agents");
        request.Headers.Add("Origin", "https://good.example");

        using var response = await client.SendAsync(request).WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://good.example"]);
    }

    [Fact]
    public async Task CorsPreflight_OriginsSetOnTheBoundOptions_FollowsTheOptions()
    {
        // The variable says one origin and the bound options (what the WebSocket Origin check reads) another: CORS
        // must follow the options, not read the variable again.
        await using var app = new RemoltAppFactory(
            new Dictionary<string, string?> { ["REMOLT_ALLOWED_ORIGINS"] = "https://raw.example" },
            new FakeSandboxRuntime(),
            services => services.PostConfigure<WebOptions>(o => o.AllowedOrigins = "https://bound.example/"));
        using var client = Client(app);

        using var bound = await client.SendAsync(Preflight("https://bound.example")).WaitAsync(ApiTimeout);
        using var raw = await client.SendAsync(Preflight("https://raw.example")).WaitAsync(ApiTimeout);

        bound.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://bound.example"]);
        raw.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/sessions");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }
}
