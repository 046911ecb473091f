namespace RemoltBlazor.Data.Users;

/// <summary>
/// Someone who signed in. <see cref="Login"/> is the owner string sessions, keys and tokens are stored under, so it is
/// unique whatever provider vouched for it (only one provider signs people in at a time).
/// </summary>
public sealed class UserRecord
{
    public long Id { get; set; }

    /// <summary>Who vouched for the login: github, oidc, token or none.</summary>
    public required string Provider { get; set; }

    public required string Login { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    /// <summary>A disabled user cannot sign in, and their open sign-ins stop working on their next request.</summary>
    public bool Disabled { get; set; }

    /// <summary>The key id the GitHub token is sealed under (<see cref="Secrets.ProtectedSecret"/>); null without a token.</summary>
    public string? GitHubTokenKeyId { get; set; }

    public byte[]? GitHubTokenSealed { get; set; }
}
