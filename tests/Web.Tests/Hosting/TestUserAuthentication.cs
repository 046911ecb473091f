using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Web.Auth;

namespace RemoltBlazor.Web.Tests.Hosting;

/// <summary>
/// A test-only sign-in: the request names its user in <c>X-Test-User: alice</c> (and <c>X-Test-Admin: 1</c> for the
/// admin role), or a browser in the cookies of the same names. The principal has exactly the shape the product's
/// schemes give (<see cref="ClaimTypes.Name"/> = login, <see cref="ClaimTypes.Role"/> = <see cref="AuthSchemes.AdminRole"/>),
/// so ownership tests exercise the real checks with several users without a provider. Without either, nobody is
/// signed in.
/// </summary>
internal static class TestUserAuthentication
{
    public const string SchemeName = "remolt-test-user";
    public const string UserHeader = "X-Test-User";
    public const string AdminHeader = "X-Test-Admin";

    /// <summary>The cookie names browsers use (Playwright's extra headers do not reach every socket).</summary>
    public const string UserCookie = "remolt-test-user";
    public const string AdminCookie = "remolt-test-admin";

    /// <summary>
    /// Registers the scheme as the default for every request and authenticates at the very start of the pipeline,
    /// so whatever the app wires itself (or does not yet), HttpContext.User and the circuit's user come from here.
    /// </summary>
    public static void Install(IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, Handler>(SchemeName, _ => { });
        services.PostConfigure<AuthenticationOptions>(options =>
        {
            options.DefaultScheme = SchemeName;
            options.DefaultAuthenticateScheme = SchemeName;
            options.DefaultChallengeScheme = SchemeName;
            options.DefaultForbidScheme = SchemeName;
        });
        services.AddTransient<IStartupFilter, AuthenticateFirst>();
    }

    /// <summary>
    /// One request to <paramref name="app"/> as <paramref name="login"/> (nobody signed in when null), without cookies
    /// or redirects, its body buffered so the caller may read it after the client is gone.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsAsync(
        this RemoltAppFactory app, string? login, HttpMethod method, string path, HttpContent? content = null, bool admin = false)
    {
        var timeout = TimeSpan.FromSeconds(60);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress, Timeout = timeout };
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (login is not null)
        {
            request.As(login, admin);
        }

        var response = await http.SendAsync(request).WaitAsync(timeout);
        await response.Content.LoadIntoBufferAsync().WaitAsync(timeout);
        return response;
    }

    /// <summary>Headers that make an <see cref="HttpClient"/> act as <paramref name="login"/>.</summary>
    public static HttpRequestMessage As(this HttpRequestMessage request, string login, bool admin = false)
    {
        request.Headers.Add(UserHeader, login);
        if (admin)
        {
            request.Headers.Add(AdminHeader, "1");
        }

        return request;
    }

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var login = Request.Headers[UserHeader].ToString();
            if (login.Length == 0)
            {
                login = Request.Cookies[UserCookie] ?? "";
            }

            if (login.Length == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var claims = new List<Claim> { new(ClaimTypes.Name, login) };
            if (Request.Headers[AdminHeader] == "1" || Request.Cookies[AdminCookie] == "1")
            {
                claims.Add(new Claim(ClaimTypes.Role, AuthSchemes.AdminRole));
            }

            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
        }
    }

    private sealed class AuthenticateFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseAuthentication();
            next(app);
        };
    }
}
