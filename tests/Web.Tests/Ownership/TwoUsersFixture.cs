using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Ownership;

/// <summary>
/// The real app on real Docker with test sign-in, and two users: alice with a real OpenClaw session (a dashboard,
/// logs, VS Code) and bob with a session of his own, both created through the API as their users. The surface tests
/// point bob at alice's session and at an id nobody has, and require the two answers to be the same.
/// </summary>
public sealed class TwoUsersFixture : IAsyncLifetime
{
    public const string Alice = "alice";
    public const string Bob = "bob";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public RemoltAppFactory App { get; private set; } = default!;

    public Session AlicesSession { get; private set; } = default!;

    public Session BobsSession { get; private set; } = default!;

    /// <summary>A well-formed id that no session has.</summary>
    public string UnknownId { get; } = SessionIds.New();

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        await SandboxImage.EnsureBuiltAsync();
        App = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_PREVIEW_PORTS"] = "3000-3999" }, testUsers: true);
        AlicesSession = await CreateAsync(Alice, "openclaw");
        BobsSession = await CreateAsync(Bob, "claude-code");
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    public Task<HttpResponseMessage> SendAsync(string? login, HttpMethod method, string path, HttpContent? content = null) =>
        App.SendAsAsync(login, method, path, content);

    private async Task<Session> CreateAsync(string login, string agent)
    {
        using var response = await SendAsync(login, HttpMethod.Post, "/api/sessions", JsonContent.Create(new { agent_type = agent }));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session_id").GetString()!;
        var session = App.Sessions.Snapshot().Single(s => s.Id == id);
        session.Owner.ShouldBe(login);
        return session;
    }
}
