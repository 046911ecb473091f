using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace RemoltBlazor.Data.Users;

/// <summary>
/// Server-side sign-in sessions: what makes a cookie revocable. <see cref="CreateAsync"/> hands out a random id for
/// the cookie and stores its hash; <see cref="CheckAsync"/> runs on every authenticated request.
/// </summary>
public sealed class SignInSessionStore(IDbContextFactory<RemoltDbContext> contextFactory, TimeProvider time)
{
    /// <summary>Starts a sign-in for <paramref name="userId"/> that lasts <paramref name="lifetime"/> unless used; returns the id for the cookie.</summary>
    public async Task<string> CreateAsync(long userId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.SignInSessions.Add(new SignInSessionRecord { IdHash = Hash(id), UserId = userId, CreatedAt = now, ExpiresAt = now + lifetime });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Whether the sign-in <paramref name="id"/> still holds (not revoked, not expired, its user not disabled) and for
    /// which login. Past half its lifetime the expiry slides forward (<see cref="SignInCheck.Renewed"/>).
    /// </summary>
    public async Task<SignInCheck> CheckAsync(string id, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var hash = Hash(id);
        var now = time.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.SignInSessions.AsNoTracking()
            .Where(s => s.IdHash == hash && s.RevokedAt == null)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s.ExpiresAt, u.Login, u.Disabled })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.Disabled || row.ExpiresAt <= now)
        {
            return SignInCheck.Invalid;
        }

        var renewed = row.ExpiresAt - now < lifetime / 2;
        if (renewed)
        {
            await db.SignInSessions.Where(s => s.IdHash == hash)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.ExpiresAt, now + lifetime), cancellationToken);
            await db.Users.Where(u => u.Login == row.Login)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSeen, now), cancellationToken);
        }

        return new SignInCheck(true, row.Login, renewed);
    }

    /// <summary>Ends one sign-in (logout). Returns false when there was no such live sign-in.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        var hash = Hash(id);
        var now = time.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.SignInSessions.Where(s => s.IdHash == hash && s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now), cancellationToken) > 0;
    }

    /// <summary>Ends every sign-in of <paramref name="login"/> (signed out everywhere).</summary>
    public async Task<int> RevokeAllAsync(string login, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var userIds = db.Users.Where(u => u.Login == login).Select(u => u.Id);
        return await db.SignInSessions.Where(s => userIds.Contains(s.UserId) && s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now), cancellationToken);
    }

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}

/// <summary>The outcome of <see cref="SignInSessionStore.CheckAsync"/>.</summary>
public sealed record SignInCheck(bool Valid, string? Login, bool Renewed)
{
    public static SignInCheck Invalid { get; } = new(false, null, false);
}
