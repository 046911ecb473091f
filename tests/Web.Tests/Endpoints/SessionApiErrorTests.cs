using RemoltBlazor.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Endpoints;

/// <summary>Bad input and limits on the session API: each gets the original's status and a JSON detail.</summary>
public sealed class SessionApiErrorTests
{
    [Theory]
    [InlineData("GET", "0123456789abcdefghijklmnopqrstuv")]
    [InlineData("DELETE", "0123456789abcdefghijklmnopqrstuv")]
    [InlineData("GET", "NOT-A-VALID-ID")]
    [InlineData("GET", "x%27%20or%201%3D1")]
    public async Task SessionById_UnknownOrMalformedId_Returns404Detail(string method, string id)
    {
        await using var app = App(out var runtime);
        using var client = Client(app);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/sessions/{id}")).WaitAsync(ApiTimeout);

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
        var deadline = DateTime.UtcNow + ApiTimeout;
        while (!(runtime.CreateCalls == 10 && posts.Count(p => p.IsCompleted) == 10) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        runtime.CreateCalls.ShouldBe(10);
        gate.SetResult();
        var responses = await Task.WhenAll(posts).WaitAsync(ApiTimeout);
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
            (await JsonAsync(await client.GetAsync("/health").WaitAsync(ApiTimeout))).GetProperty("sessions").GetInt32().ShouldBe(10);
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
        (await JsonAsync(await client.GetAsync("/health").WaitAsync(ApiTimeout))).GetProperty("sessions").GetInt32().ShouldBe(0);
    }
}
