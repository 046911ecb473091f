using System.Net;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Ownership;

/// <summary>
/// A session still being created is known to the proxies (its owner gets 409 "Session is not running"); to anyone
/// else it must look like an unknown id, or its 409 would confirm that the id exists.
/// </summary>
public sealed class ForeignPendingSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly FakeSandboxRuntime _runtime = new();
    private RemoltAppFactory _app = default!;

    public Task InitializeAsync()
    {
        _app = new RemoltAppFactory(runtime: _runtime, testUsers: true);
        _ = _app.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _runtime.CreateGate?.TrySetResult();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("/proxy/{0}/")]
    [InlineData("/vscode/{0}/")]
    [InlineData("/proxy/{0}/port/3000/")]
    public async Task ProxyOnAliceCreatingSession_BobGetsTheUnknownIdAnswer_AliceGets409(string template)
    {
        _runtime.CreateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var create = _app.Sessions.CreateAsync("alice", new CreateSessionRequest("openclaw"), CancellationToken.None);
        await Poll.UntilAsync(() => _runtime.CreateCalls == 1, s_timeout);
        var creating = _app.Sessions.Snapshot().ShouldHaveSingleItem();

        using var bobs = await _app.SendAsAsync("bob", HttpMethod.Get, string.Format(template, creating.Id));
        using var unknown = await _app.SendAsAsync("bob", HttpMethod.Get, string.Format(template, SessionIds.New()));
        using var alices = await _app.SendAsAsync("alice", HttpMethod.Get, string.Format(template, creating.Id));

        bobs.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bobs.Content.ReadAsStringAsync()).ShouldBe(await unknown.Content.ReadAsStringAsync());
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        alices.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        _runtime.CreateGate.SetResult();
        await create.WaitAsync(s_timeout);
    }
}
