using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data;
using RemoltBlazor.Web.Auth.GitHub;
using RemoltBlazor.Web.Auth.Oidc;
using RemoltBlazor.Web.Auth.Tokens;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// Sign-in: the mode (<see cref="AuthModeResolver"/>), the default policy scheme and its targets (the revocable
/// cookie, GitHub or OIDC when configured, auth off), Data Protection keys kept in the data folder so cookies survive a
/// restart, and a fallback policy under which everything needs a signed-in caller unless it says otherwise.
/// </summary>
internal static class AuthServiceCollectionExtensions
{
    public const string CookieName = "remolt_auth";

    /// <summary>Where Data Protection keeps its keys, inside the data folder.</summary>
    public const string KeysFolder = "dataprotection-keys";

    public static AuthenticationBuilder AddRemoltAuth(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().Bind(builder.Configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<AuthModeResolver>();
        services.AddSingleton<AuthSchemeSelector>();
        services.AddSingleton<AppSignIn>();
        services.AddSingleton<LoginToken>();
        services.AddSingleton<SignInCookieEvents>();
        services.AddHostedService<AuthStartupLog>();
        AddPersistentDataProtection(services);

        var auth = services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "Remolt", policy =>
                policy.ForwardDefaultSelector = http => http.RequestServices.GetRequiredService<AuthSchemeSelector>().Select(http))
            .AddScheme<AuthenticationSchemeOptions, NoAuthHandler>(AuthSchemes.None, null, _ => { })
            .AddCookie(AuthSchemes.Cookie, cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // Secure over https; plain http on localhost must keep working (the original's secure=True broke it).
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = SignInCookieEvents.SignInPath;
                cookie.EventsType = typeof(SignInCookieEvents);
            });
        services.AddOptions<CookieAuthenticationOptions>(AuthSchemes.Cookie)
            .Configure<IOptions<AuthOptions>>((cookie, options) => cookie.ExpireTimeSpan = options.Value.SignInLifetime);

        // A provider's handler is registered only when configured: the authentication middleware asks every remote
        // handler about every request, and an unconfigured one would throw on its options.
        var settings = new AuthOptions();
        builder.Configuration.Bind(settings);
        if (settings.GitHubConfigured)
        {
            auth.AddRemoltGitHub();
        }

        if (settings.OidcConfigured)
        {
            auth.AddRemoltOidc();
        }

        services.AddAuthorizationBuilder()
            // No scheme named: the policy reads the user the default scheme (AuthSchemes.Default) already authenticated,
            // instead of authenticating again and replacing it.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AuthSchemes.AdminRole, policy => policy.RequireRole(AuthSchemes.AdminRole));
        services.AddCascadingAuthenticationState();
        // After AddInteractiveServerComponents: replaces its provider, so open circuits notice a revoked sign-in.
        services.AddScoped<AuthenticationStateProvider, SignInRevalidator>();
        return auth;
    }

    public static WebApplication UseRemoltAuth(this WebApplication app)
    {
        app.UseAuthentication();
        // A request whose access token does not authenticate is refused here, never run as nobody (or anonymous).
        app.UseAccessTokenGate();
        app.UseAuthorization();
        return app;
    }

    private static void AddPersistentDataProtection(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("RemoltBlazor");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<DataOptions>, ILoggerFactory>((keys, data, logs) =>
        {
            var folder = Path.Combine(Path.GetDirectoryName(data.Value.DatabasePath)!, KeysFolder);
            var directory = Directory.CreateDirectory(folder);
            if (!OperatingSystem.IsWindows())
            {
                // The keys sign every cookie: only the server's user may read them.
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            keys.XmlRepository = new FileSystemXmlRepository(directory, logs);
        });
    }
}
