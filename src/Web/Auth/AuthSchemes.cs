namespace RemoltBlazor.Web.Auth;

/// <summary>
/// The names of the app's authentication schemes and roles. The default scheme is a policy scheme that reads a
/// personal access token from <c>Authorization: Bearer</c> and the sign-in cookie otherwise; whichever answers, the
/// principal's name is the user's login, the owner string sessions and keys are stored under (<see cref="Hosting.CallerName"/>).
/// </summary>
internal static class AuthSchemes
{
    /// <summary>The policy scheme every endpoint, socket and circuit authenticates with.</summary>
    public const string Default = "remolt";

    /// <summary>The sign-in cookie (server-side revocable).</summary>
    public const string Cookie = "remolt-cookie";

    /// <summary>Personal access tokens sent as <c>Authorization: Bearer</c>.</summary>
    public const string Token = "remolt-token";

    /// <summary>Auth off (<c>REMOLT_AUTH=none</c>): every request is the local user <c>anonymous</c>, the admin.</summary>
    public const string None = "remolt-none";

    /// <summary>GitHub sign-in (the framework's OAuth handler); its callback is <c>/auth/callback</c>.</summary>
    public const string GitHub = "github";

    /// <summary>OpenID Connect sign-in; its callback is <c>/auth/oidc/callback</c>.</summary>
    public const string Oidc = "oidc";

    /// <summary>The role claim value of the users named in <c>REMOLT_ADMINS</c> (and of the single local user in <c>none</c> mode).</summary>
    public const string AdminRole = "admin";
}
