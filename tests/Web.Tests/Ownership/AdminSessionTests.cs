using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Ownership;

/// <summary>
/// Admins (the role, issue 10 item 7): GET /api/admin/sessions lists every session whoever owns it, DELETE ends
/// anyone's and records who did it; for everyone else the routes answer as if they did not exist.
/// </summary>
public sealed class AdminSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly FakeSandboxRuntime _runtime = new();
    private RemoltAppFactory _app = default!;
    private Session _alices = default!;
    private Session _bobs = default!;

    public async Task InitializeAsync()
    {
        _app = new RemoltAppFactory(runtime: _runtime, testUsers: true);
        _alices = await _app.Sessions.CreateAsync("alice", new CreateSessionRequest("claude-code"), CancellationToken.None).WaitAsync(s_timeout);
        _bobs = await _app.Sessions.CreateAsync("bob", new CreateSessionRequest("openclaw"), CancellationToken.None).WaitAsync(s_timeout);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task List_Admin_SeesEverySessionWithOwnerAgentStateAndTimes()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/admin/sessions", "carol", admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToArray();
        items.Select(i => i.GetProperty("session_id").GetString()).ShouldBe([_alices.Id, _bobs.Id]);
        var bobs = items[1];
        bobs.EnumerateObject().Select(p => p.Name).ShouldBe(["session_id", "owner", "agent_type", "state", "created_at", "last_activity"]);
        bobs.GetProperty("owner").GetString().ShouldBe("bob");
        bobs.GetProperty("agent_type").GetString().ShouldBe("openclaw");
        bobs.GetProperty("state").GetString().ShouldBe("running");
        bobs.GetProperty("created_at").GetDouble().ShouldBe(_bobs.CreatedAt.ToUnixTimeMilliseconds() / 1000.0);
        bobs.GetProperty("last_activity").GetDouble().ShouldBeGreaterThanOrEqualTo(bobs.GetProperty("created_at").GetDouble());
    }

    [Theory]
    [InlineData("GET", "/api/admin/sessions")]
    [InlineData("DELETE", "/api/admin/sessions/{0}")]
    public async Task NotAdmin_TheRouteAnswersLikeAnUnknownOne(string method, string template)
    {
        var path = string.Format(template, _bobs.Id);
        using var unknownRoute = await SendAsync(HttpMethod.Get, "/api/no-such-route", "alice");
        var expected = await unknownRoute.Content.ReadAsStringAsync();

        foreach (var login in new[] { "alice", "bob" })
        {
            using var response = await SendAsync(new HttpMethod(method), path, login);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"as {login}");
            (await response.Content.ReadAsStringAsync()).ShouldBe(expected);
        }

        using var nobody = await SendAsync(new HttpMethod(method), path, login: null);
        nobody.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "as nobody");

        _bobs.IsRunning.ShouldBeTrue();
        _runtime.Removes.ShouldBeEmpty();
    }

    [Fact]
    public async Task Delete_Admin_EndsSomeoneElsesSession_EventSaysWho()
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/api/admin/sessions/{_bobs.Id}", "carol", admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe($$"""{"status":"terminated","session_id":"{{_bobs.Id}}"}""");
        _bobs.State.ShouldBe(SessionState.Ended);
        _bobs.EndReason.ShouldBe("admin");
        _runtime.Removes.ShouldBe([_bobs.SandboxId!]);
        _app.Sessions.ListRunning("bob").ShouldBeEmpty();

        var ended = (await _app.Services.GetRequiredService<EventLog>().RecentAsync(10, _bobs.Id)).Single(e => e.Name == "session.ended");
        var fields = JsonDocument.Parse(ended.Fields).RootElement;
        fields.GetProperty("reason").GetString().ShouldBe("admin");
        fields.GetProperty("by").GetString().ShouldBe("carol");
        fields.GetProperty("session_id").GetString().ShouldBe(_bobs.Id);
        _alices.IsRunning.ShouldBeTrue();
    }

    [Theory]
    [InlineData("nosuchsession")]
    [InlineData("0123456789abcdefghijklmnopqrstuv")]
    public async Task Delete_Admin_UnknownId_404SessionNotFound(string id)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/api/admin/sessions/{id}", "carol", admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"detail":"Session not found"}""");
    }

    [Fact]
    public async Task Admin_OnTheOwnersRoutes_IsNotTheOwner()
    {
        // Admin rights live on the admin API only; the owner's routes stay the owner's.
        using var get = await SendAsync(HttpMethod.Get, $"/api/sessions/{_bobs.Id}", "carol", admin: true);
        using var list = await SendAsync(HttpMethod.Get, "/api/sessions", "carol", admin: true);

        get.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await list.Content.ReadAsStringAsync()).ShouldBe("[]");
    }

    [Fact]
    public async Task OwnerlessSession_NobodysButListedForAdmins()
    {
        // An old row without an owner (the original allowed them, section 12 item 19), as the reconciler would adopt it.
        var now = DateTimeOffset.UtcNow;
        var record = new SessionRecord
        {
            Id = SessionIds.New(), Owner = "", AgentId = "claude-code", State = SessionState.Running, CreatedAt = now, LastActivityAt = now,
        };
        await _app.Services.GetRequiredService<SessionStore>().InsertAsync(record, CancellationToken.None);
        var ownerless = _app.Sessions.Adopt(record);

        foreach (var login in new[] { "alice", "bob" })
        {
            using var get = await SendAsync(HttpMethod.Get, $"/api/sessions/{ownerless.Id}", login);
            get.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            using var list = await SendAsync(HttpMethod.Get, "/api/sessions", login);
            (await list.Content.ReadAsStringAsync()).ShouldNotContain(ownerless.Id);
        }

        using var adminList = await SendAsync(HttpMethod.Get, "/api/admin/sessions", "carol", admin: true);
        var row = (await adminList.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single(i => i.GetProperty("session_id").GetString() == ownerless.Id);
        row.GetProperty("owner").GetString().ShouldBe("");
        using var end = await SendAsync(HttpMethod.Delete, $"/api/admin/sessions/{ownerless.Id}", "carol", admin: true);
        end.StatusCode.ShouldBe(HttpStatusCode.OK);
        ownerless.State.ShouldBe(SessionState.Ended);
    }

    [Fact]
    public async Task Create_NobodySignedIn_Is401_AndNoOwnerlessSessionExists()
    {
        var before = _app.Sessions.Snapshot().Count;

        using var response = await _app.SendAsAsync(login: null, HttpMethod.Post, "/api/sessions", JsonContent.Create(new { agent_type = "claude-code" }));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _app.Sessions.Snapshot().Count.ShouldBe(before);
        _app.Sessions.Snapshot().ShouldAllBe(s => s.Owner.Length > 0);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? login, bool admin = false) =>
        _app.SendAsAsync(login, method, path, admin: admin);
}
