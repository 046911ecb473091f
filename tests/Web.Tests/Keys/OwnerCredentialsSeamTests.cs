using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Keys;

/// <summary>
/// The seam another credential source (the sign-in's GitHub token) plugs into: an extra <see cref="IOwnerCredentials"/>
/// reaches the owner's new sessions over stdin, for every agent, and the create request's own value still wins.
/// </summary>
public sealed class OwnerCredentialsSeamTests
{
    [Fact]
    public async Task ExtraSource_GitHubToken_ReachesEveryAgent_AndTheRequestWins()
    {
        var runtime = new FakeSandboxRuntime();
        await using var app = new RemoltAppFactory(runtime: runtime, services: s => s.AddSingleton<IOwnerCredentials>(new FixedCredentials()));
        using var client = Client(app);

        await CreateAsync(client, "codex");
        runtime.Execs.ShouldHaveSingleItem().StdinText.ShouldBe("export GITHUB_TOKEN='gho_from-sign-in'\n");
        runtime.Creates[0].Env.ShouldNotContainKey("GITHUB_TOKEN");

        using var response = await PostJsonAsync(client, "/api/sessions", """{"agent_type":"codex","github_token":"gho_from-request"}""");
        response.EnsureSuccessStatusCode();
        runtime.Execs[^1].StdinText.ShouldBe("export GITHUB_TOKEN='gho_from-request'\n");
    }

    private sealed class FixedCredentials : IOwnerCredentials
    {
        public Task<IReadOnlyDictionary<string, string>> ReadAsync(string owner, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(owner == "anonymous"
                ? new Dictionary<string, string> { ["GITHUB_TOKEN"] = "gho_from-sign-in", ["NOT_DECLARED"] = "never" }
                : new Dictionary<string, string>());
    }
}
