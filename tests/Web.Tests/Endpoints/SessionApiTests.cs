using RemoltBlazor.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Endpoints;

/// <summary>The original's session, agent and health API (behaviour page, sections 4 and 15) over real HTTP, with a fake runtime.</summary>
public sealed class SessionApiTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PostSessions_EmptyBody_ReturnsOriginalSessionShape()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);

        using var response = await PostJsonAsync(client, "/api/sessions", "{}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var body = await JsonAsync(response);
        Names(body).ShouldBe(["session_id", "status", "ws_url", "agent_type", "proxy_url", "vscode_url", "logs_ws_url", "terminals"], ignoreOrder: true);
        var id = body.GetProperty("session_id").GetString().ShouldNotBeNull();
        id.Length.ShouldBe(32);
        body.GetProperty("status").GetString().ShouldBe("running");
        body.GetProperty("ws_url").GetString().ShouldBe($"/ws/terminal/{id}");
        body.GetProperty("agent_type").GetString().ShouldBe("claude-code");
        body.GetProperty("proxy_url").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("vscode_url").GetString().ShouldBe($"/vscode/{id}/");
        body.GetProperty("logs_ws_url").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("terminals").GetInt32().ShouldBe(1);

        runtime.Creates.ShouldHaveSingleItem().SessionId.ShouldBe(id);
        runtime.Creates[0].Owner.ShouldBe("anonymous");
        app.Sessions.LiveCount.ShouldBe(1);
    }

    [Fact]
    public async Task PostSessions_FrontendBodyWithNulls_Succeeds()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);

        // Exactly what the original's React frontend sends when the fields are left empty.
        using var response = await PostJsonAsync(client, "/api/sessions",
            """{"git_user_name":null,"git_user_email":null,"agent_type":null,"agent_env":{"ANTHROPIC_API_KEY":""}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonAsync(response)).GetProperty("agent_type").GetString().ShouldBe("claude-code");
        runtime.Creates.ShouldHaveSingleItem().Env.ShouldNotContainKey("GIT_USER_NAME");
        runtime.Execs.ShouldBeEmpty(); // an empty key is not a secret to write
    }

    [Fact]
    public async Task PostSessions_AgentEnvSecretAndGitIdentity_ReachSandboxTheRightWay()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);

        using var response = await PostJsonAsync(client, "/api/sessions",
            """{"git_user_name":"Ada","git_user_email":"ada@example.com","agent_type":"claude-code","agent_env":{"ANTHROPIC_API_KEY":"sk-ant-web-secret"},"github_token":"ghp_web_secret"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var env = runtime.Creates.ShouldHaveSingleItem().Env;
        env["GIT_USER_NAME"].ShouldBe("Ada");
        env["GIT_USER_EMAIL"].ShouldBe("ada@example.com");
        env.Values.ShouldNotContain(v => v.Contains("secret", StringComparison.Ordinal));
        var write = runtime.Execs.ShouldHaveSingleItem();
        write.StdinText.ShouldContain("export ANTHROPIC_API_KEY='sk-ant-web-secret'");
        write.StdinText.ShouldContain("export GITHUB_TOKEN='ghp_web_secret'");
        write.CommandLine.ShouldNotContain("secret");
    }

    [Fact]
    public async Task PostSessions_Openclaw_ReturnsProxyAndLogsUrls()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await PostJsonAsync(client, "/api/sessions", """{"agent_type":"openclaw"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        var id = body.GetProperty("session_id").GetString();
        body.GetProperty("agent_type").GetString().ShouldBe("openclaw");
        body.GetProperty("proxy_url").GetString().ShouldBe($"/proxy/{id}/");
        body.GetProperty("logs_ws_url").GetString().ShouldBe($"/ws/logs/{id}");
        body.GetProperty("vscode_url").GetString().ShouldBe($"/vscode/{id}/");
    }

    [Fact]
    public async Task GetSessions_AfterCreates_ReturnsArrayWithEpochCreatedAtAndTerminals()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var first = await CreateAsync(client, "claude-code");
        var second = await CreateAsync(client, "openclaw");
        runtime.TmuxSessions = ["main", "main-1"];

        using var response = await client.GetAsync("/api/sessions").WaitAsync(s_timeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var list = await JsonAsync(response);
        list.ValueKind.ShouldBe(JsonValueKind.Array);
        list.GetArrayLength().ShouldBe(2);
        var items = list.EnumerateArray().ToArray();
        items.Select(i => i.GetProperty("session_id").GetString()).ShouldBe([first, second], ignoreOrder: true);
        foreach (var item in items)
        {
            Names(item).ShouldBe(["session_id", "status", "ws_url", "agent_type", "proxy_url", "created_at", "terminals"], ignoreOrder: true);
            var id = item.GetProperty("session_id").GetString();
            item.GetProperty("status").GetString().ShouldBe("running");
            item.GetProperty("ws_url").GetString().ShouldBe($"/ws/terminal/{id}");
            item.GetProperty("created_at").ValueKind.ShouldBe(JsonValueKind.Number);
            item.GetProperty("created_at").GetDouble().ShouldBeInRange(before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1.0);
            item.GetProperty("terminals").GetInt32().ShouldBe(2);
        }

        items.Single(i => i.GetProperty("session_id").GetString() == second).GetProperty("proxy_url").GetString().ShouldBe($"/proxy/{second}/");
        items.Single(i => i.GetProperty("session_id").GetString() == first).GetProperty("proxy_url").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task GetSessions_NoSessions_ReturnsEmptyArray()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await client.GetAsync("/api/sessions").WaitAsync(s_timeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync().WaitAsync(s_timeout)).ShouldBe("[]");
    }

    [Fact]
    public async Task GetSessionById_Running_ReturnsSessionShapeWithTmuxCount()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        var id = await CreateAsync(client, "claude-code");
        runtime.TmuxSessions = ["main", "main-1", "main-2"];

        using var response = await client.GetAsync($"/api/sessions/{id}").WaitAsync(s_timeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        Names(body).ShouldBe(["session_id", "status", "ws_url", "agent_type", "proxy_url", "vscode_url", "logs_ws_url", "terminals"], ignoreOrder: true);
        body.GetProperty("session_id").GetString().ShouldBe(id);
        body.GetProperty("status").GetString().ShouldBe("running");
        body.GetProperty("terminals").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task GetSessionById_TmuxCountFails_ReportsOneTerminal()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        var id = await CreateAsync(client, "claude-code");
        runtime.TmuxSessions = null;

        using var response = await client.GetAsync($"/api/sessions/{id}").WaitAsync(s_timeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonAsync(response)).GetProperty("terminals").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task DeleteSession_Running_ReturnsTerminatedAndRemovesSandbox()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        var id = await CreateAsync(client, "claude-code");

        using var response = await client.DeleteAsync($"/api/sessions/{id}").WaitAsync(s_timeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        Names(body).ShouldBe(["status", "session_id"], ignoreOrder: true);
        body.GetProperty("status").GetString().ShouldBe("terminated");
        body.GetProperty("session_id").GetString().ShouldBe(id);
        runtime.Removes.ShouldBe([$"fake-{id}"]);
        app.Sessions.LiveCount.ShouldBe(0);

        using var after = await client.GetAsync($"/api/sessions/{id}").WaitAsync(s_timeout);
        await ShouldBeErrorAsync(after, HttpStatusCode.NotFound, "Session not found");
        using var again = await client.DeleteAsync($"/api/sessions/{id}").WaitAsync(s_timeout);
        await ShouldBeErrorAsync(again, HttpStatusCode.NotFound, "Session not found");
        (await client.GetStringAsync("/api/sessions").WaitAsync(s_timeout)).ShouldBe("[]");
    }

    [Theory]
    [InlineData("GET", "0123456789abcdefghijklmnopqrstuv")]
    [InlineData("DELETE", "0123456789abcdefghijklmnopqrstuv")]
    [InlineData("GET", "NOT-A-VALID-ID")]
    [InlineData("GET", "x%27%20or%201%3D1")]
    public async Task SessionById_UnknownOrMalformedId_Returns404Detail(string method, string id)
    {
        await using var app = App(out var runtime);
        using var client = Client(app);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/sessions/{id}")).WaitAsync(s_timeout);

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "Session not found");
        runtime.Execs.ShouldBeEmpty();
    }

    [Fact]
    public async Task PostSessions_UnknownAgent_Returns400Detail()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);

        using var response = await PostJsonAsync(client, "/api/sessions", """{"agent_type":"nope"}""");

        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "Unknown agent type: nope");
        runtime.CreateCalls.ShouldBe(0);
    }

    [Fact]
    public async Task PostSessions_AgentEnvOutsideSchema_Returns400Detail()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);

        using var response = await PostJsonAsync(client, "/api/sessions", """{"agent_env":{"LD_PRELOAD":"/tmp/x.so"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await DetailAsync(response)).ShouldContain("LD_PRELOAD");
        runtime.CreateCalls.ShouldBe(0);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"agent_type": 42}""")]
    [InlineData("""{"agent_env": ["a"]}""")]
    public async Task PostSessions_MalformedJson_Returns400WithJsonDetail(string json)
    {
        await using var app = App(out var runtime);
        using var client = Client(app);

        using var response = await PostJsonAsync(client, "/api/sessions", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var detail = await DetailAsync(response);
        detail.ShouldContain("JSON", Case.Insensitive);
        runtime.CreateCalls.ShouldBe(0);
        app.Sessions.LiveCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"agent_type": 42}""", "Invalid JSON body: the value of $.agent_type has the wrong type (line 1, byte 17).")]
    [InlineData("""{"agent_env": {"K": 1}}""", "Invalid JSON body: the value of $.agent_env.K has the wrong type (line 1, byte 21).")]
    [InlineData("[]", "Invalid JSON body: expected a JSON object (line 1, byte 1).")]
    public async Task PostSessions_WrongJsonType_DetailNamesPathNotServerType(string json, string expected)
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await PostJsonAsync(client, "/api/sessions", json);

        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task PostSessions_SyntaxError_DetailSaysWhere()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await PostJsonAsync(client, "/api/sessions", "{not json");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var detail = await DetailAsync(response);
        detail.ShouldStartWith("Invalid JSON body: ");
        detail.ShouldContain("LineNumber: 0 | BytePositionInLine: 1");
    }

    [Fact]
    public async Task PostSessions_PastGlobalLimit_Returns429Detail()
    {
        await using var app = App(out var runtime, new() { ["REMOLT_MAX_SESSIONS"] = "2" });
        using var client = Client(app);
        await CreateAsync(client, "claude-code");
        await CreateAsync(client, "claude-code");

        using var response = await PostJsonAsync(client, "/api/sessions", "{}");

        await ShouldBeErrorAsync(response, (HttpStatusCode)429, "Max sessions reached");
        runtime.Creates.Count.ShouldBe(2);
    }

    [Fact]
    public async Task PostSessions_TwentyConcurrentWithLimitTen_TenSucceedTenGet429()
    {
        await using var app = App(out var runtime, new() { ["REMOLT_MAX_SESSIONS"] = "10", ["REMOLT_MAX_USER_SESSIONS"] = "100" });
        using var client = Client(app);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.CreateGate = gate;

        var posts = Enumerable.Range(0, 20).Select(_ => PostJsonAsync(client, "/api/sessions", "{}")).ToArray();
        var deadline = DateTime.UtcNow + s_timeout;
        while (!(runtime.CreateCalls == 10 && posts.Count(p => p.IsCompleted) == 10) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        runtime.CreateCalls.ShouldBe(10);
        gate.SetResult();
        var responses = await Task.WhenAll(posts).WaitAsync(s_timeout);
        try
        {
            responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(10);
            var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToArray();
            refused.Length.ShouldBe(10);
            foreach (var response in refused)
            {
                await ShouldBeErrorAsync(response, (HttpStatusCode)429, "Max sessions reached");
            }

            runtime.Live.Count.ShouldBe(10);
            (await JsonAsync(await client.GetAsync("/health").WaitAsync(s_timeout))).GetProperty("sessions").GetInt32().ShouldBe(10);
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task PostSessions_PastPerUserLimit_Returns429Detail()
    {
        await using var app = App(out _, new() { ["REMOLT_MAX_USER_SESSIONS"] = "1" });
        using var client = Client(app);
        await CreateAsync(client, "claude-code");

        using var response = await PostJsonAsync(client, "/api/sessions", "{}");

        await ShouldBeErrorAsync(response, (HttpStatusCode)429, "Max 1 sessions per user");
    }

    [Fact]
    public async Task PostSessions_RuntimeCreateFails_Returns500TryAgainAndFreesSlot()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        runtime.CreateFailure = new SandboxRuntimeException("engine exploded");

        using var response = await PostJsonAsync(client, "/api/sessions", "{}");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await DetailAsync(response)).ShouldContain("try again", Case.Insensitive);
        app.Sessions.LiveCount.ShouldBe(0);
        (await JsonAsync(await client.GetAsync("/health").WaitAsync(s_timeout))).GetProperty("sessions").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task GetAgents_Always_ReturnsOriginalShape()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await client.GetAsync("/api/agents").WaitAsync(s_timeout);

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

        using var response = await client.GetAsync("/health").WaitAsync(s_timeout);

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

        using var response = await client.GetAsync(path).WaitAsync(s_timeout);

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

        using var response = await client.SendAsync(Preflight("https://good.example")).WaitAsync(s_timeout);

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

        using var response = await client.SendAsync(Preflight("https://evil.example")).WaitAsync(s_timeout);

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

        using var response = await client.SendAsync(request).WaitAsync(s_timeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://good.example"]);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/sessions");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    private static RemoltAppFactory App(out FakeSandboxRuntime runtime, Dictionary<string, string?>? settings = null)
    {
        runtime = new FakeSandboxRuntime();
        return new RemoltAppFactory(settings, runtime);
    }

    private static HttpClient Client(RemoltAppFactory app) => new() { BaseAddress = app.BaseAddress, Timeout = s_timeout };

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")).WaitAsync(s_timeout);

    private static async Task<string> CreateAsync(HttpClient client, string agent)
    {
        using var response = await PostJsonAsync(client, "/api/sessions", JsonSerializer.Serialize(new { agent_type = agent }));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await JsonAsync(response)).GetProperty("session_id").GetString()!;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(s_timeout)).Clone();

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        var body = await JsonAsync(response);
        Names(body).ShouldBe(["detail"]);
        body.GetProperty("detail").ValueKind.ShouldBe(JsonValueKind.String);
        return body.GetProperty("detail").GetString()!;
    }

    private static async Task ShouldBeErrorAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        (await DetailAsync(response)).ShouldBe(detail);
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
