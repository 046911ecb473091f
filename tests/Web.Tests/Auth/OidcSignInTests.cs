using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Users;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Fakes;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Auth;

/// <summary>OpenID Connect sign-in (code flow with PKCE) against a local fake provider with a signed id_token.</summary>
public sealed class OidcSignInTests : IAsyncLifetime
{
    private FakeOidcProvider _idp = default!;

    public async Task InitializeAsync() => _idp = await FakeOidcProvider.StartAsync();

    public async Task DisposeAsync() => await _idp.DisposeAsync();

    private RemoltAppFactory NewApp(Dictionary<string, string?>? extra = null)
    {
        return new RemoltAppFactory(AuthSettings.With(_idp.Settings, extra), new FakeSandboxRuntime(), RoleProbe.Add);
    }

    [Fact]
    public async Task FullFlow_SignsInWithTheLoginClaim_AndMeNamesTheUser()
    {
        await using var app = NewApp(new() { ["REMOLT_ADMINS"] = "someone-else" });
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login");

        response.RequestMessage!.RequestUri!.PathAndQuery.ShouldBe("/?authed=1");
        var (status, me) = await client.GetJsonAsync("/auth/me");
        status.ShouldBe(HttpStatusCode.OK);
        me.GetProperty("login").GetString().ShouldBe("grace");
        me.GetProperty("name").GetString().ShouldBe("Grace Hopper");
        me.GetProperty("email").GetString().ShouldBe("grace@example.com");
        me.GetProperty("auth_required").GetBoolean().ShouldBeTrue();
        (await app.Services.GetRequiredService<UserStore>().FindAsync("grace"))!.Provider.ShouldBe("oidc");
        (await client.Http.GetStringAsync("/test/admin")).ShouldBe("false");
    }

    [Fact]
    public async Task LoginClaim_AndAdmins_AreConfigurable()
    {
        await using var app = NewApp(new() { ["REMOLT_OIDC_LOGIN_CLAIM"] = "email", ["REMOLT_ADMINS"] = "grace@example.com" });
        using var client = new CookieClient(app.BaseAddress);

        await client.Http.GetAsync("/auth/login");

        (await client.GetJsonAsync("/auth/me")).Body.GetProperty("login").GetString().ShouldBe("grace@example.com");
        (await client.Http.GetStringAsync("/test/admin")).ShouldBe("true");
    }

    [Fact]
    public async Task SignInPage_OffersTheProviderByName()
    {
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        (await client.Http.GetStringAsync("/signin")).ShouldContain("Sign in with Fake IdP");
    }

    [Fact]
    public async Task ForgedIdToken_IsRefused_WithAReadablePage_AndNoUserRow()
    {
        _idp.SignWithUnpublishedKey = true;
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login");

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("could not be verified");
        page.ShouldNotContain("IDX");
        client.AuthCookie.ShouldBeNull();
        (await app.Services.GetRequiredService<UserStore>().FindAsync("grace")).ShouldBeNull();
    }

    [Fact]
    public async Task TokenEndpointFailing_IsAReadable502_AndNoUserRow()
    {
        _idp.TokenEndpointFails = true;
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login");

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Fake IdP token exchange failed");
        (await app.Services.GetRequiredService<UserStore>().FindAsync("grace")).ShouldBeNull();
    }

    [Fact]
    public async Task AllowedUsers_RefusesOthers()
    {
        await using var app = NewApp(new() { ["REMOLT_ALLOWED_USERS"] = "ada" });
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/login");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("is not allowed to sign in");
        client.AuthCookie.ShouldBeNull();
    }

    [Fact]
    public async Task BadState_IsAReadable400()
    {
        await using var app = NewApp();
        using var client = new CookieClient(app.BaseAddress);

        using var response = await client.Http.GetAsync("/auth/oidc/callback?code=abc&state=forged");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Invalid OAuth state");
    }
}
