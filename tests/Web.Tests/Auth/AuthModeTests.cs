using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Auth;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Auth;

/// <summary>Which sign-in mode a server picks, and that the options report every mistake at once.</summary>
public sealed class AuthModeTests
{
    [Theory]
    [InlineData(true, "http://127.0.0.1:5400")]
    [InlineData(true, "http://localhost:5400", "http://[::1]:5400")]
    [InlineData(true, "https://127.0.0.2:443")]
    [InlineData(false, "http://0.0.0.0:8080")]
    [InlineData(false, "http://[::]:8080")]
    [InlineData(false, "http://+:8080")]
    [InlineData(false, "http://*:8080")]
    [InlineData(false, "http://127.0.0.1:5400", "http://192.168.1.5:5400")]
    [InlineData(false, "http://unix:/run/remolt.sock")]
    [InlineData(false, "http://example.com:80")]
    public void AllLoopback_OnlyWhenEveryAddressIsThisMachine(bool expected, params string[] addresses) =>
        AuthModeResolver.AllLoopback(addresses).ShouldBe(expected);

    [Fact]
    public async Task Default_OnLoopback_IsNone_EveryoneIsTheAnonymousAdmin()
    {
        await using var app = new RemoltAppFactory(null, new FakeSandboxRuntime());
        using var client = new CookieClient(app.BaseAddress);

        var (status, me) = await client.GetJsonAsync("/auth/me");

        status.ShouldBe(HttpStatusCode.OK);
        me.ToString().ShouldBe("""{"login":"anonymous","name":"","email":"","auth_required":false,"stored_keys":[]}""");
        app.Services.GetRequiredService<AuthModeResolver>().Mode.ShouldBe(AuthMode.None);
        var page = await client.Http.GetStringAsync("/signin");
        page.ShouldContain("Sign-in is off");
    }

    [Fact]
    public async Task Default_OnAllInterfaces_IsToken_NothingIsServedWithoutSignIn_AndTheLoggedUrlSignsIn()
    {
        var data = TestDataFolder.Create("remolt-auth-mode");
        try
        {
            await using var app = await AppProcess.StartAsync(data, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = "http://0.0.0.0:{port}",
                ["Logging__LogLevel__RemoltBlazor.Web.Auth.AuthStartupLog"] = "Information",
            });
            using var client = new CookieClient(app.Address, followRedirects: false);

            await CookieClient.ShouldBeAuthenticationRequiredAsync(await client.Http.GetAsync("/auth/me"));
            await CookieClient.ShouldBeAuthenticationRequiredAsync(await client.Http.GetAsync("/api/sessions"));
            app.Output.ShouldContain("Sign-in mode: token");

            // The URL printed once at start (its host is this machine's name; the path and token are what count).
            var token = File.ReadAllText(Path.Combine(data, "login-token")).Trim();
            app.Output.ShouldContain($":{app.Address.Port}/auth/token?token={token}");
            // Once: not also for the apps origin's port, which serves sandbox content and no sign-in.
            System.Text.RegularExpressions.Regex.Count(app.Output, "/auth/token\\?token=").ShouldBe(1, app.Output);
            (await client.Http.GetAsync($"/auth/token?token={token}")).StatusCode.ShouldBe(HttpStatusCode.SeeOther);
            (await client.GetJsonAsync("/auth/me")).Status.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            TestDataFolder.Delete(data);
        }
    }

    [Fact]
    public async Task ExplicitNone_OnAllInterfaces_IsHonoured()
    {
        var data = TestDataFolder.Create("remolt-auth-mode");
        try
        {
            await using var app = await AppProcess.StartAsync(data, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = "http://0.0.0.0:{port}",
                ["REMOLT_AUTH"] = "none",
            });
            using var client = new CookieClient(app.Address);

            (await client.GetJsonAsync("/auth/me")).Status.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            TestDataFolder.Delete(data);
        }
    }

    [Fact]
    public void Validator_ListsEveryProblem()
    {
        var options = new AuthOptions
        {
            Mode = "ldap",
            GitHubClientId = "id",
            GitHubTokenUrl = "not a url",
            OidcAuthority = "https://idp.example",
            OidcScopes = "profile",
            SignInLifetime = TimeSpan.Zero,
        };

        var result = new AuthOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldBe(
        [
            "REMOLT_AUTH 'ldap' is not one of github, oidc, token, none.",
            "GITHUB_CLIENT_ID is set but GITHUB_CLIENT_SECRET is empty.",
            "REMOLT_GITHUB_TOKEN_URL 'not a url' is not an absolute http(s) URL.",
            "REMOLT_OIDC_AUTHORITY is set but REMOLT_OIDC_CLIENT_ID is empty.",
            "REMOLT_OIDC_SCOPES 'profile' lacks openid.",
            "Both GitHub (GITHUB_CLIENT_ID) and OIDC (REMOLT_OIDC_AUTHORITY) are configured; choose one with REMOLT_AUTH.",
            "REMOLT_SIGNIN_LIFETIME is 00:00:00; it must be positive.",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Validator_GitHubModeWithoutClient_AndOrgsWithoutGitHub_AreErrors()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Mode = "github" });
        result.Failures.ShouldBe(["REMOLT_AUTH is github but GITHUB_CLIENT_ID is empty."]);

        var orgs = new AuthOptionsValidator().Validate(null, new AuthOptions { Mode = "token", AllowedOrgs = "acme" });
        orgs.Failures.ShouldBe(["REMOLT_ALLOWED_ORGS is set, but organisations are GitHub's: it needs GitHub sign-in."]);

        new AuthOptionsValidator().Validate(null, new AuthOptions()).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task InvalidSettings_StopTheAppAtStart()
    {
        var app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_AUTH"] = "sometimes" }, new FakeSandboxRuntime());

        var error = Should.Throw<OptionsValidationException>(() => app.BaseAddress);
        error.Message.ShouldContain("REMOLT_AUTH 'sometimes'");
        // Disposing asks the (unstartable) host for its sessions again; the folder goes either way.
        await Should.ThrowAsync<OptionsValidationException>(async () => await app.DisposeAsync());
        TestDataFolder.Delete(app.DataDirectory);
    }
}
