namespace RemoltBlazor.Web.Auth;

/// <summary>
/// Sign-in settings. GitHub's client id and secret keep the original's variable names; everything else is new
/// (<c>REMOLT_*</c>). Checked on start by <see cref="AuthOptionsValidator"/>, which lists every problem at once.
/// </summary>
internal sealed class AuthOptions
{
    /// <summary>github, oidc, token or none; empty picks one (<see cref="AuthModeResolver"/>).</summary>
    [ConfigurationKeyName("REMOLT_AUTH")]
    public string Mode { get; set; } = "";

    [ConfigurationKeyName("GITHUB_CLIENT_ID")]
    public string GitHubClientId { get; set; } = "";

    [ConfigurationKeyName("GITHUB_CLIENT_SECRET")]
    public string GitHubClientSecret { get; set; } = "";

    /// <summary>GitHub's endpoints; tests point them at a local fake.</summary>
    [ConfigurationKeyName("REMOLT_GITHUB_AUTHORIZE_URL")]
    public string GitHubAuthorizeUrl { get; set; } = "https://github.com/login/oauth/authorize";

    [ConfigurationKeyName("REMOLT_GITHUB_TOKEN_URL")]
    public string GitHubTokenUrl { get; set; } = "https://github.com/login/oauth/access_token";

    [ConfigurationKeyName("REMOLT_GITHUB_API_URL")]
    public string GitHubApiUrl { get; set; } = "https://api.github.com";

    /// <summary>The OpenID Connect issuer (its discovery document is at <c>/.well-known/openid-configuration</c>).</summary>
    [ConfigurationKeyName("REMOLT_OIDC_AUTHORITY")]
    public string OidcAuthority { get; set; } = "";

    [ConfigurationKeyName("REMOLT_OIDC_CLIENT_ID")]
    public string OidcClientId { get; set; } = "";

    [ConfigurationKeyName("REMOLT_OIDC_CLIENT_SECRET")]
    public string OidcClientSecret { get; set; } = "";

    /// <summary>Space- or comma-separated scopes asked for.</summary>
    [ConfigurationKeyName("REMOLT_OIDC_SCOPES")]
    public string OidcScopes { get; set; } = "openid profile email";

    /// <summary>The id_token claim that becomes the login (the owner string).</summary>
    [ConfigurationKeyName("REMOLT_OIDC_LOGIN_CLAIM")]
    public string OidcLoginClaim { get; set; } = "preferred_username";

    /// <summary>What the sign-in button says: "Sign in with {name}".</summary>
    [ConfigurationKeyName("REMOLT_OIDC_NAME")]
    public string OidcDisplayName { get; set; } = "OpenID Connect";

    /// <summary>Whether the provider must be reached over https (turn off only for a local test provider).</summary>
    [ConfigurationKeyName("REMOLT_OIDC_REQUIRE_HTTPS")]
    public bool OidcRequireHttps { get; set; } = true;

    /// <summary>Comma-separated logins allowed to sign in; empty (and no orgs) allows everyone the provider vouches for.</summary>
    [ConfigurationKeyName("REMOLT_ALLOWED_USERS")]
    public string AllowedUsers { get; set; } = "";

    /// <summary>Comma-separated GitHub organisations whose members may sign in (GitHub mode only).</summary>
    [ConfigurationKeyName("REMOLT_ALLOWED_ORGS")]
    public string AllowedOrgs { get; set; } = "";

    /// <summary>Comma-separated logins that get the admin role.</summary>
    [ConfigurationKeyName("REMOLT_ADMINS")]
    public string Admins { get; set; } = "";

    /// <summary>How long a sign-in lasts without use; each use past half of it starts it again (sliding).</summary>
    [ConfigurationKeyName("REMOLT_SIGNIN_LIFETIME")]
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often an open page (a Blazor circuit) re-checks that its sign-in still holds.</summary>
    [ConfigurationKeyName("REMOLT_SIGNIN_RECHECK")]
    public TimeSpan SignInRecheck { get; set; } = TimeSpan.FromSeconds(30);

    public bool GitHubConfigured => GitHubClientId.Length > 0;

    public bool OidcConfigured => OidcAuthority.Length > 0;

    public IReadOnlyList<string> AllowedUserList => List(AllowedUsers);

    public IReadOnlyList<string> AllowedOrgList => List(AllowedOrgs);

    public IReadOnlyList<string> AdminList => List(Admins);

    public IReadOnlyList<string> OidcScopeList => List(OidcScopes.Replace(' ', ','));

    /// <summary>The mode asked for, or null when <c>REMOLT_AUTH</c> is empty (decided from configuration and addresses).</summary>
    public AuthMode? ExplicitMode => Mode.Trim().ToLowerInvariant() switch
    {
        "" => null,
        "github" => AuthMode.GitHub,
        "oidc" => AuthMode.Oidc,
        "token" => AuthMode.Token,
        "none" => AuthMode.None,
        _ => throw new InvalidOperationException($"REMOLT_AUTH '{Mode}' is not one of github, oidc, token, none."),
    };

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Who may use the server (issue 10 item 1).</summary>
internal enum AuthMode
{
    /// <summary>Auth off: every caller is the single local user <c>anonymous</c>, who is the admin.</summary>
    None,

    /// <summary>A random login token in the data folder, exchanged for the cookie (like Jupyter).</summary>
    Token,

    GitHub,

    Oidc,
}
