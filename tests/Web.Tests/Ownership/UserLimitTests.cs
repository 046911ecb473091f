using System.Net;
using System.Net.Http.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Ownership;

/// <summary>
/// REMOLT_MAX_USER_SESSIONS counts per signed-in user (issue 10 item 7): one user at the limit blocks nobody else,
/// and a burst of simultaneous creates by one user never overshoots it (the slot is reserved before any await).
/// </summary>
public sealed class UserLimitTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly FakeSandboxRuntime _runtime = new();
    private RemoltAppFactory _app = default!;

    public Task InitializeAsync()
    {
        _app = new RemoltAppFactory(
            new Dictionary<string, string?> { ["REMOLT_MAX_USER_SESSIONS"] = "2", ["REMOLT_MAX_SESSIONS"] = "20" }, _runtime, testUsers: true);
        _ = _app.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AliceAtHerLimit_429ForHer_BobStillCreates()
    {
        (await CreateAsync("alice")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CreateAsync("alice")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var third = await CreateAsync("alice");
        using var bobs = await CreateAsync("bob");

        third.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await third.Content.ReadFromJsonAsync<ErrorBody>())!.Detail.ShouldBe("Max 2 sessions per user");
        bobs.StatusCode.ShouldBe(HttpStatusCode.OK);
        _app.Sessions.ListRunning("alice").Count.ShouldBe(2);
        _app.Sessions.ListRunning("bob").Count.ShouldBe(1);
    }

    [Fact]
    public async Task ConcurrentCreatesByOneUser_NeverOvershootHerLimit_NorBlockAnother()
    {
        // Every create waits inside the runtime until all requests are in, so none finishes before another checks.
        _runtime.CreateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var alices = Enumerable.Range(0, 8).Select(_ => CreateAsync("alice")).ToArray();
        var bobs = CreateAsync("bob");
        await Poll.UntilAsync(() => _runtime.CreateCalls == 3 && alices.Count(t => t.IsCompleted) == 6, s_timeout);
        _runtime.CreateGate.SetResult();

        var answers = await Task.WhenAll(alices).WaitAsync(s_timeout);
        using var bob = await bobs.WaitAsync(s_timeout);

        answers.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(2);
        answers.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBe(6);
        bob.StatusCode.ShouldBe(HttpStatusCode.OK);
        _app.Sessions.ListRunning("alice").Count.ShouldBe(2);
        _runtime.Creates.Count.ShouldBe(3);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    private Task<HttpResponseMessage> CreateAsync(string login) =>
        _app.SendAsAsync(login, HttpMethod.Post, "/api/sessions", JsonContent.Create(new { agent_type = "claude-code" }));

    private sealed record ErrorBody(string Detail);
}
