namespace RemoltBlazor.Data.Keys;

/// <summary>
/// A personal access token. Only its SHA-256 hash is kept (the token itself is shown once, at creation), with a short
/// visible prefix so the owner can tell tokens apart and the server can find the row without scanning every hash.
/// </summary>
public sealed class AccessTokenRecord
{
    public required string Id { get; set; }

    public required string Owner { get; set; }

    public required string Name { get; set; }

    /// <summary><c>rmt_</c> and the first characters of the random part; not a secret, and not unique on its own.</summary>
    public required string Prefix { get; set; }

    public required byte[] Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}
