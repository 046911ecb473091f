namespace RemoltBlazor.Data.Users;

/// <summary>
/// One sign-in (a browser's cookie). The cookie carries the session id; only its SHA-256 is stored, so a copy of the
/// database does not sign anybody in. Revoking the row (logout, an admin) ends the sign-in on its next request.
/// </summary>
public sealed class SignInSessionRecord
{
    /// <summary>Hex SHA-256 of the id the cookie carries.</summary>
    public required string IdHash { get; set; }

    public long UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Moves forward while the sign-in is used (sliding expiry), like the cookie's own.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
