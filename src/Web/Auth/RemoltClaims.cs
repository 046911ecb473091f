namespace RemoltBlazor.Web.Auth;

/// <summary>The app's own claim types on a signed-in principal, besides <c>ClaimTypes.Name</c> (the login) and <c>ClaimTypes.Role</c>.</summary>
internal static class RemoltClaims
{
    /// <summary>The server-side sign-in id (<c>SignInSessionStore</c>) the cookie stands for.</summary>
    public const string SignInId = "remolt:sid";

    /// <summary>github, oidc, token or none.</summary>
    public const string Provider = "remolt:provider";

    /// <summary>The display name (the original's <c>name</c>, empty when the provider has none).</summary>
    public const string DisplayName = "remolt:name";

    public const string Email = "remolt:email";
}
