using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.WebSockets;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Auth;

/// <summary>The <c>token</c> mode (like Jupyter's): the login token in the data folder is exchanged for the revocable cookie.</summary>
public sealed class TokenModeTests : IAsyncLifetime
{
    private RemoltAppFactory _app = default!;

    public Task InitializeAsync()
    {
        _app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_AUTH"] = "token" }, new FakeSandboxRuntime());
        _ = _app.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string LoginToken => File.ReadAllText(Path.Combine(_app.DataDirectory, "login-token")).Trim();

    [Fact]
    public async Task WithoutSignIn_ApiAndMeAnswer401_InTheOriginalsShape()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        foreach (var path in new[] { "/auth/me", "/api/sessions", "/api/sessions/abc" })
        {
            using var response = await client.Http.GetAsync(path);
            await CookieClient.ShouldBeAuthenticationRequiredAsync(response);
        }

        using var post = await client.Http.PostAsync("/api/sessions", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await CookieClient.ShouldBeAuthenticationRequiredAsync(post);
    }

    [Fact]
    public async Task WithoutSignIn_OpenEndpointsStayOpen()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        (await client.Http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.Http.GetAsync("/api/agents")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WithoutSignIn_APageRedirectsToTheSignInPage_WhichHasTheTokenForm()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/?x=1");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/signin?returnUrl=%2F%3Fx%3D1");

        var page = await client.Http.GetStringAsync("/signin?returnUrl=%2F%3Fx%3D1");
        page.ShouldContain("data-testid=\"signin-token-form\"");
        page.ShouldContain("name=\"__RequestVerificationToken\"");
    }

    [Fact]
    public async Task WithoutSignIn_SocketsAreRefusedBeforeTheUpgrade()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(_app.BaseAddress) { Scheme = "ws", Path = "/ws/terminal/some-session" }.Uri;

        await Should.ThrowAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        socket.HttpStatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WrongToken_Is401_AndSetsNoCookie()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        using var response = await client.Http.GetAsync("/auth/token?token=" + Uri.EscapeDataString(LoginToken + "x"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Wrong token");
        client.AuthCookie.ShouldBeNull();
    }

    [Fact]
    public async Task RightToken_SetsAnHttpOnlyLaxCookie_ThatSignsIn()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        using var response = await client.Http.GetAsync("/auth/token?token=" + LoginToken);

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.ToString().ShouldBe("/");
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("remolt_auth=", StringComparison.Ordinal));
        setCookie.ShouldContain("httponly", Case.Insensitive);
        setCookie.ShouldContain("samesite=lax", Case.Insensitive);
        setCookie.ShouldNotContain("secure", Case.Insensitive); // plain http on localhost must work

        var (status, me) = await client.GetJsonAsync("/auth/me");
        status.ShouldBe(HttpStatusCode.OK);
        me.GetProperty("login").GetString().ShouldBe("anonymous");
        me.GetProperty("auth_required").GetBoolean().ShouldBeTrue();
        me.GetProperty("stored_keys").GetArrayLength().ShouldBe(0);
        (await client.Http.GetAsync("/api/sessions")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void LoginTokenFile_IsReadableByTheServerUserOnly()
    {
        var mode = File.GetUnixFileMode(Path.Combine(_app.DataDirectory, "login-token"));
        mode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        LoginToken.Length.ShouldBeGreaterThanOrEqualTo(32);
    }

    [Fact]
    public async Task ForgedCookie_Is401()
    {
        using var client = CookieClient.WithAuthCookie(_app.BaseAddress, "CfDJ8forged" + new string('A', 200));
        await CookieClient.ShouldBeAuthenticationRequiredAsync(await client.Http.GetAsync("/auth/me"));
    }

    [Fact]
    public async Task Logout_RevokesTheSignIn_SoACopiedCookieNoLongerWorks()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        await client.Http.GetAsync("/auth/token?token=" + LoginToken);
        var copied = client.AuthCookie!;

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        logout.Headers.Add("Sec-Fetch-Site", "same-origin");
        var answer = await client.Http.SendAsync(logout);
        answer.StatusCode.ShouldBe(HttpStatusCode.SeeOther);

        using var replay = CookieClient.WithAuthCookie(_app.BaseAddress, copied);
        await CookieClient.ShouldBeAuthenticationRequiredAsync(await replay.Http.GetAsync("/auth/me"));
        var events = await _app.Services.GetRequiredService<Data.Events.EventLog>().RecentAsync(10);
        events.Select(e => e.Name).ShouldContain("auth.logout");
        events.Select(e => e.Name).ShouldContain("auth.login");
        events.ShouldAllBe(e => !e.Fields.Contains(copied));
    }

    [Fact]
    public async Task CrossSiteLogout_IsRefused_AndTheSignInStays()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        await client.Http.GetAsync("/auth/token?token=" + LoginToken);

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        logout.Headers.Add("Sec-Fetch-Site", "cross-site");
        logout.Headers.Add("Origin", "https://evil.example");
        (await client.Http.SendAsync(logout)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await client.Http.GetAsync("/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetLogout_ForTheOriginalFrontend_RedirectsHomeAndEndsTheSignIn()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        await client.Http.GetAsync("/auth/token?token=" + LoginToken);
        var copied = client.AuthCookie!;

        using var response = await client.Http.GetAsync("/auth/logout");
        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.ToString().ShouldBe("/");

        using var replay = CookieClient.WithAuthCookie(_app.BaseAddress, copied);
        await CookieClient.ShouldBeAuthenticationRequiredAsync(await replay.Http.GetAsync("/auth/me"));
    }

    [Fact]
    public async Task DisablingTheUser_EndsTheirSignInAtOnce()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        await client.Http.GetAsync("/auth/token?token=" + LoginToken);
        (await client.Http.GetAsync("/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _app.Services.GetRequiredService<Data.Users.UserStore>().SetDisabledAsync("anonymous", true);

        await CookieClient.ShouldBeAuthenticationRequiredAsync(await client.Http.GetAsync("/auth/me"));
    }

    [Fact]
    public async Task LoginUrl_IsNotAvailableWithoutGitHub()
    {
        using var client = new CookieClient(_app.BaseAddress, followRedirects: false);
        var (status, body) = await client.GetJsonAsync("/auth/login");
        status.ShouldBe(HttpStatusCode.NotImplemented);
        body.GetProperty("detail").GetString().ShouldBe("GitHub OAuth not configured");
    }
}
