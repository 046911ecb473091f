using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace RemoltBlazor.Data.Keys;

/// <summary>
/// Personal access tokens: <c>rmt_</c> + 32 random bytes in base64url. The token is returned once; the row keeps its
/// SHA-256 hash (the token has 256 bits of entropy, so a plain hash is enough: nothing to brute-force) and a visible
/// prefix that finds the candidate rows, whose hashes are then compared in constant time.
/// </summary>
public sealed class AccessTokenStore(IDbContextFactory<RemoltDbContext> contexts, TimeProvider time)
{
    public const string TokenPrefix = "rmt_";
    public const int MaxNameLength = 100;
    private const int RandomBytes = 32;
    private const int VisibleChars = 8;

    /// <summary>Last-used times are written at most this often per token, so a busy script does not write on every request.</summary>
    private static readonly TimeSpan s_lastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedAccessToken> CreateAsync(string owner, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"A token needs a name of 1 to {MaxNameLength} characters", nameof(name));
        }

        var token = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
        var record = new AccessTokenRecord
        {
            Id = RandomNumberGenerator.GetHexString(16, lowercase: true),
            Owner = owner,
            Name = name,
            Prefix = PrefixOf(token),
            Hash = HashOf(token),
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = expiresAt,
        };

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AccessTokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedAccessToken(record, token);
    }

    public async Task<IReadOnlyList<AccessTokenRecord>> ListAsync(string owner, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AccessTokens.AsNoTracking().Where(t => t.Owner == owner).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Deletes the owner's token; false if the owner has no token with that id (someone else's counts as none).</summary>
    public async Task<bool> RevokeAsync(string owner, string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AccessTokens.Where(t => t.Owner == owner && t.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    /// <summary>The live token row <paramref name="token"/> belongs to, or null when it is malformed, unknown, revoked or expired.</summary>
    public async Task<AccessTokenRecord?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(token))
        {
            return null;
        }

        var hash = HashOf(token);
        var prefix = PrefixOf(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var candidates = await db.AccessTokens.Where(t => t.Prefix == prefix).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var match = candidates.FirstOrDefault(t => CryptographicOperations.FixedTimeEquals(t.Hash, hash));
        if (match is null || match.ExpiresAt <= now)
        {
            return null;
        }

        if (match.LastUsedAt is null || now - match.LastUsedAt >= s_lastUsedResolution)
        {
            match.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return match;
    }

    private static bool IsWellFormed(string token) =>
        token.Length == TokenPrefix.Length + Base64Url.GetEncodedLength(RandomBytes)
        && token.StartsWith(TokenPrefix, StringComparison.Ordinal)
        && Base64Url.IsValid(token.AsSpan(TokenPrefix.Length));

    private static string PrefixOf(string token) => token[..(TokenPrefix.Length + VisibleChars)];

    private static byte[] HashOf(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

/// <summary>A new token's row and the token itself, which is never available again.</summary>
public sealed record CreatedAccessToken(AccessTokenRecord Record, string Token);
