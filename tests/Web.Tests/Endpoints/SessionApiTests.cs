using RemoltBlazor.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Security;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Endpoints;

/// <summary>The original's session API shapes (behaviour page, sections 4 and 15) over real HTTP, with a fake runtime.</summary>
public sealed class SessionApiTests
{
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
        // Sandbox content opens on the apps origin (issue 10 item 10), at the same path there.
        (await AppsLinks.TargetOfAsync(body.GetProperty("vscode_url").GetString()!, app.BaseAddress)).ShouldBe($"/vscode/{id}/");
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
        (await AppsLinks.TargetOfAsync(body.GetProperty("proxy_url").GetString()!, app.BaseAddress)).ShouldBe($"/proxy/{id}/");
        body.GetProperty("logs_ws_url").GetString().ShouldBe($"/ws/logs/{id}");
        (await AppsLinks.TargetOfAsync(body.GetProperty("vscode_url").GetString()!, app.BaseAddress)).ShouldBe($"/vscode/{id}/");
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

        using var response = await client.GetAsync("/api/sessions").WaitAsync(ApiTimeout);

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

        var dashboard = items.Single(i => i.GetProperty("session_id").GetString() == second).GetProperty("proxy_url").GetString()!;
        (await AppsLinks.TargetOfAsync(dashboard, app.BaseAddress)).ShouldBe($"/proxy/{second}/");
        items.Single(i => i.GetProperty("session_id").GetString() == first).GetProperty("proxy_url").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task GetSessions_NoSessions_ReturnsEmptyArray()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await client.GetAsync("/api/sessions").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync().WaitAsync(ApiTimeout)).ShouldBe("[]");
    }

    [Fact]
    public async Task GetSessionById_Running_ReturnsSessionShapeWithTmuxCount()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        var id = await CreateAsync(client, "claude-code");
        runtime.TmuxSessions = ["main", "main-1", "main-2"];

        using var response = await client.GetAsync($"/api/sessions/{id}").WaitAsync(ApiTimeout);

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

        using var response = await client.GetAsync($"/api/sessions/{id}").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonAsync(response)).GetProperty("terminals").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task DeleteSession_Running_ReturnsTerminatedAndRemovesSandbox()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        var id = await CreateAsync(client, "claude-code");

        using var response = await client.DeleteAsync($"/api/sessions/{id}").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        Names(body).ShouldBe(["status", "session_id"], ignoreOrder: true);
        body.GetProperty("status").GetString().ShouldBe("terminated");
        body.GetProperty("session_id").GetString().ShouldBe(id);
        runtime.Removes.ShouldBe([$"fake-{id}"]);
        app.Sessions.LiveCount.ShouldBe(0);

        using var after = await client.GetAsync($"/api/sessions/{id}").WaitAsync(ApiTimeout);
        await ShouldBeErrorAsync(after, HttpStatusCode.NotFound, "Session not found");
        using var again = await client.DeleteAsync($"/api/sessions/{id}").WaitAsync(ApiTimeout);
        await ShouldBeErrorAsync(again, HttpStatusCode.NotFound, "Session not found");
        (await client.GetStringAsync("/api/sessions").WaitAsync(ApiTimeout)).ShouldBe("[]");
    }
}
