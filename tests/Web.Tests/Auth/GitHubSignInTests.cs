using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Users;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Fakes;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Auth;

/// <summary>GitHub sign-in through the framework's OAuth handler against a local fake GitHub, over HTTP with a cookie jar.</summary>
public sealed class GitHubSignInTests : IAsyncLifetime
{
    private FakeGitHub _github = default!;

    public async Task InitializeAsync() => _github = await FakeGitHub.StartAsync();

    public async Task DisposeAsync() => await _github.DisposeAsync();

    private RemoltAppFactory NewApp(Dictionary<string, string?>? extra = null)
    {
        return new RemoltAppFactory(AuthSettings.With(_github.Settings, extra), new FakeSandboxRuntime());
    }

    [Fact]
    public async Task FullFlow_LandsOnAuthed_AndMeHasTheOriginalsShape_WithTheEmailFromUserEmails()
    {
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login?scopes=repo,bogus,user:email,public_repo");

        response.RequestMessage!.RequestUri!.PathAndQuery.ShouldBe("/?authed=1");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _github.LastScope.ShouldBe("public_repo repo user:email");
        var (status, me) = await client.GetJsonAsync("/auth/me");
        status.ShouldBe(HttpStatusCode.OK);
        me.GetProperty("login").GetString().ShouldBe("octocat");
        me.GetProperty("name").GetString().ShouldBe("The Octocat");
        me.GetProperty("email").GetString().ShouldBe("octocat@example.com");
        me.GetProperty("auth_required").GetBoolean().ShouldBeTrue();
        me.GetProperty("stored_keys").GetArrayLength().ShouldBe(0);
        me.EnumerateObject().Select(p => p.Name).ShouldBe(["login", "name", "email", "auth_required", "stored_keys"]);
        me.ToString().ShouldNotContain(FakeGitHub.AccessToken);

        (await app.Services.GetRequiredService<UserStore>().GetGitHubTokenAsync("octocat")).ShouldBe(FakeGitHub.AccessToken);
        var events = await app.Services.GetRequiredService<Data.Events.EventLog>().RecentAsync(20);
        events.ShouldContain(e => e.Name == "auth.login" && e.Fields.Contains("octocat"));
        events.ShouldAllBe(e => !e.Fields.Contains("FAKE-ACCESS-TOKEN"));
    }

    [Fact]
    public async Task SignedInUsersNewSession_GetsTheirGitHubTokenOverStdin_NeverInTheContainersEnv()
    {
        var runtime = new FakeSandboxRuntime();
        await using var app = new RemoltAppFactory(AuthSettings.With(_github.Settings, null), runtime);
        using var client = new CookieClient(app.BaseAddress);
        await client.Http.GetAsync("/auth/login");

        using var created = await client.Http.PostAsync("/api/sessions", new StringContent("""{"agent_type":"codex"}""", Encoding.UTF8, "application/json"));

        created.StatusCode.ShouldBe(HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        runtime.Execs.ShouldHaveSingleItem().StdinText.ShouldBe($"export GITHUB_TOKEN='{FakeGitHub.AccessToken}'\n");
        runtime.Creates.ShouldHaveSingleItem().Env.Values.ShouldAllBe(v => !v.Contains("FAKE-ACCESS-TOKEN"));
    }

    [Fact]
    public async Task OlderFrontendsRepoTrue_IsTolerated_AndNoScopesGivesAnEmptyScope()
    {
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login?repo=true");

        response.RequestMessage!.RequestUri!.PathAndQuery.ShouldBe("/?authed=1");
        _github.LastScope.ShouldBe("");
    }

    [Fact]
    public async Task TheDatabaseAndCookie_NeverHoldTheGitHubTokenInPlaintext()
    {
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);
        await client.Http.GetAsync("/auth/login");
        client.AuthCookie.ShouldNotBeNull();

        (await Keys.TokenClients.EverythingStoredAsync(app, eventsLog: null)).ShouldNotContain("FAKE-ACCESS-TOKEN");

        // The cookie is Data Protection ciphertext holding a sign-in id, not the token.
        client.AuthCookie!.ShouldNotContain("FAKE-ACCESS-TOKEN");
    }

    [Fact]
    public async Task DeniedConsent_ShowsAReadablePage_AndSignsNobodyIn()
    {
        _github.Behaviour = FakeGitHubBehaviour.Deny;
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("Sign-in cancelled");
        client.AuthCookie.ShouldBeNull();
        (await app.Services.GetRequiredService<UserStore>().FindAsync("octocat")).ShouldBeNull();
    }

    [Theory]
    [InlineData("/auth/callback?code=abc&state=forged")]
    [InlineData("/auth/callback?code=abc")]
    public async Task BadOrMissingState_IsAReadable400(string callback)
    {
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync(callback);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("Invalid OAuth state");
        page.ShouldNotContain("Exception");
        client.AuthCookie.ShouldBeNull();
    }

    [Fact]
    public async Task StateFromAnotherBrowser_IsAReadable400()
    {
        await using var app = NewApp();
        using var first = new CookieClient(app.BaseAddress, followRedirects: false);
        using var toGitHub = await first.Http.GetAsync("/auth/login");
        using var fromGitHub = await first.Http.GetAsync(toGitHub.Headers.Location);
        var callback = fromGitHub.Headers.Location!;

        // A second browser (no correlation cookie) opens the first one's callback URL.
        using var second = new CookieClient(app.BaseAddress, followRedirects: false);
        using var response = await second.Http.GetAsync(callback.PathAndQuery);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Invalid OAuth state");
        second.AuthCookie.ShouldBeNull();
    }

    [Theory]
    [InlineData(FakeGitHubBehaviour.TokenServerError)]
    [InlineData(FakeGitHubBehaviour.TokenGarbage)]
    [InlineData(FakeGitHubBehaviour.UserServerError)]
    [InlineData(FakeGitHubBehaviour.UserGarbage)]
    public async Task ProviderFailing_IsAReadable502_AndLeavesNoUserRow(FakeGitHubBehaviour behaviour)
    {
        _github.Behaviour = behaviour;
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login");

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("Sign-in failed");
        page.ShouldContain("Back to sign-in");
        page.ShouldNotContain("FAKE-ACCESS-TOKEN");
        client.AuthCookie.ShouldBeNull();
        (await app.Services.GetRequiredService<UserStore>().FindAsync("octocat")).ShouldBeNull();
    }

    [Fact]
    public async Task AllowedUsers_RefusesOthers_WithAReadablePage()
    {
        await using var app = NewApp(new() { ["REMOLT_ALLOWED_USERS"] = "alice, bob" });
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("is not allowed to sign in");
        (await app.Services.GetRequiredService<UserStore>().FindAsync("octocat")).ShouldBeNull();
    }

    [Fact]
    public async Task AnAccountNamedLikeTheLocalUser_IsRefused_SoItCannotInheritLocalSessionsOrKeys()
    {
        _github.Login = "Anonymous";
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("is reserved for this server");
        (await app.Services.GetRequiredService<UserStore>().FindAsync("Anonymous")).ShouldBeNull();
    }

    [Fact]
    public async Task AllowedOrgs_LetsMembersIn()
    {
        _github.Orgs.Add("remolt-team");
        await using var app = NewApp(new() { ["REMOLT_ALLOWED_USERS"] = "alice", ["REMOLT_ALLOWED_ORGS"] = "other-org,remolt-team" });
        using var client = new CookieClient(app.BaseAddress);

        await client.Http.GetAsync("/auth/login");

        (await client.GetJsonAsync("/auth/me")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AllowedOrgs_RefusesNonMembers()
    {
        await using var app = NewApp(new() { ["REMOLT_ALLOWED_ORGS"] = "remolt-team" });
        using var client = new CookieClient(app.BaseAddress);

        (await client.Http.GetAsync("/auth/login")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        client.AuthCookie.ShouldBeNull();
    }

    [Fact]
    public async Task SignIn_SurvivesARestartOnTheSameDataFolder()
    {
        var folder = TestDataFolder.Create("remolt-auth-restart");
        try
        {
            string cookie;
            await using (var first = NewApp(new() { ["REMOLT_DATA_DIR"] = folder }))
            {
                using var client = new CookieClient(first.BaseAddress);
                await client.Http.GetAsync("/auth/login");
                cookie = client.AuthCookie!;
            }

            // The cookie's keys live in the data folder (not the home directory's default), so a restart or a new
            // container with the same volume keeps them.
            Directory.GetFiles(Path.Combine(folder, "dataprotection-keys"), "key-*.xml").ShouldNotBeEmpty();

            await using var second = NewApp(new() { ["REMOLT_DATA_DIR"] = folder });
            using var again = CookieClient.WithAuthCookie(second.BaseAddress, cookie);
            var (status, me) = await again.GetJsonAsync("/auth/me");
            status.ShouldBe(HttpStatusCode.OK);
            me.GetProperty("login").GetString().ShouldBe("octocat");
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task ExpiredSignIn_Is401()
    {
        await using var app = NewApp(new() { ["REMOLT_SIGNIN_LIFETIME"] = "00:00:02" });
        using var client = new CookieClient(app.BaseAddress);
        await client.Http.GetAsync("/auth/login");
        var cookie = client.AuthCookie!;

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        using var replay = CookieClient.WithAuthCookie(app.BaseAddress, cookie);
        await CookieClient.ShouldBeAuthenticationRequiredAsync(await replay.Http.GetAsync("/auth/me"));
    }
}
