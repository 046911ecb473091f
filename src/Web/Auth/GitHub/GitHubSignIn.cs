using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Web.Auth.GitHub;

/// <summary>
/// GitHub sign-in on the framework's own OAuth handler (AspNet.Security.OAuth.GitHub is not available here): its
/// state and correlation cookie check the callback, the code is exchanged at the token URL, and
/// <see cref="GitHubOAuthEvents"/> turns the token into the app's principal. Endpoints come from
/// <see cref="AuthOptions"/>, so tests point them at a local fake GitHub.
/// </summary>
internal static class GitHubSignIn
{
    public const string CallbackPath = "/auth/callback";

    /// <summary>Scopes a caller of <c>/auth/login?scopes=</c> may ask for (the original's allow-list).</summary>
    public static readonly IReadOnlySet<string> AllowedScopes = new HashSet<string>(StringComparer.Ordinal) { "public_repo", "repo", "user:email" };

    public static AuthenticationBuilder AddRemoltGitHub(this AuthenticationBuilder auth)
    {
        auth.AddOAuth(AuthSchemes.GitHub, "GitHub", _ => { });
        auth.Services.AddSingleton<GitHubOAuthEvents>();
        auth.Services.AddOptions<OAuthOptions>(AuthSchemes.GitHub).Configure<IOptions<AuthOptions>>((oauth, options) =>
        {
            var settings = options.Value;
            oauth.ClientId = settings.GitHubClientId;
            oauth.ClientSecret = settings.GitHubClientSecret;
            oauth.AuthorizationEndpoint = settings.GitHubAuthorizeUrl;
            oauth.TokenEndpoint = settings.GitHubTokenUrl;
            oauth.UserInformationEndpoint = settings.GitHubApiUrl.TrimEnd('/') + "/user";
            oauth.CallbackPath = CallbackPath;
            oauth.SignInScheme = AuthSchemes.Cookie;
            oauth.SaveTokens = false; // the token is sealed in the users table, never in the cookie
            oauth.Scope.Clear(); // per request, from /auth/login?scopes=
            // GitHub's redirect back is a top-level GET, which carries Lax cookies; None (and the default Always-Secure)
            // would need https, which plain http on localhost does not have.
            oauth.CorrelationCookie.SameSite = SameSiteMode.Lax;
            oauth.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oauth.EventsType = typeof(GitHubOAuthEvents);
        });
        return auth;
    }

    /// <summary>The original's scope rule: a comma list, trimmed, intersected with the allow-list, sorted.</summary>
    public static IReadOnlyList<string> Scopes(string? requested) =>
        [.. (requested ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(AllowedScopes.Contains).Distinct().Order(StringComparer.Ordinal)];
}
