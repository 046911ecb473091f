using Microsoft.EntityFrameworkCore;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Data.Secrets;

namespace RemoltBlazor.Data.Users;

/// <summary>
/// The users table. A GitHub token is sealed with <see cref="SecretProtector"/> under the purpose
/// <c>github-token:{login}</c> and opened only by <see cref="GetGitHubTokenAsync"/>, for a new session's <c>GITHUB_TOKEN</c>.
/// </summary>
public sealed class UserStore(IDbContextFactory<RemoltDbContext> contextFactory, SecretProtector protector, TimeProvider time) : ISealedSecretSet
{
    public string Name => "github tokens";

    /// <summary>
    /// Records a sign-in: creates the user or refreshes their profile and last-seen time. A non-null
    /// <paramref name="gitHubToken"/> replaces the stored one; null keeps it. Returns the row (check <see cref="UserRecord.Disabled"/>).
    /// </summary>
    public async Task<UserRecord> RecordSignInAsync(string provider, string login, string? name, string? email, string? gitHubToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(login);
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow();
            var user = await db.Users.FirstOrDefaultAsync(u => u.Login == login, cancellationToken);
            if (user is null)
            {
                user = new UserRecord { Provider = provider, Login = login, FirstSeen = now };
                db.Users.Add(user);
            }

            user.Provider = provider;
            user.Name = name ?? "";
            user.Email = email ?? "";
            user.LastSeen = now;
            if (gitHubToken is not null)
            {
                var sealedToken = protector.Protect(gitHubToken, GitHubTokenPurpose(login));
                user.GitHubTokenKeyId = sealedToken.KeyId;
                user.GitHubTokenSealed = sealedToken.Sealed;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return user;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Two first sign-ins of the same login raced on the unique index: the second one updates the row.
            }
        }
    }

    public async Task<UserRecord?> FindAsync(string login, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Login == login, cancellationToken);
    }

    /// <summary>Disables or re-enables a user; a disabled user's sign-ins stop working on their next request.</summary>
    public async Task<bool> SetDisabledAsync(string login, bool disabled, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Login == login)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Disabled, disabled), cancellationToken) > 0;
    }

    /// <summary>The user's GitHub token in plaintext, or null when they have none (or it can no longer be opened).</summary>
    public async Task<string?> GetGitHubTokenAsync(string login, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(login, cancellationToken);
        if (user is not { GitHubTokenKeyId: { } keyId, GitHubTokenSealed: { } sealedBytes })
        {
            return null;
        }

        try
        {
            return protector.Unprotect(new ProtectedSecret(keyId, sealedBytes), GitHubTokenPurpose(login));
        }
        catch (SecretUnreadableException)
        {
            // Its master key was retired or lost: the user signs in again to store a fresh one.
            return null;
        }
    }

    /// <summary>Re-seals every GitHub token still under an older master key (a rotation); unreadable ones are dropped, as a sign-in stores a fresh one.</summary>
    public async Task<SealedSetRotation> ResealStaleAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.Where(u => u.GitHubTokenKeyId != null).ToListAsync(cancellationToken);
        var (resealed, unreadable) = (0, 0);
        foreach (var user in users.Where(u => protector.IsStale(new ProtectedSecret(u.GitHubTokenKeyId!, u.GitHubTokenSealed ?? []))))
        {
            var purpose = GitHubTokenPurpose(user.Login);
            try
            {
                var fresh = protector.Reseal(new ProtectedSecret(user.GitHubTokenKeyId!, user.GitHubTokenSealed ?? []), purpose);
                (user.GitHubTokenKeyId, user.GitHubTokenSealed) = (fresh.KeyId, fresh.Sealed);
                resealed++;
            }
            catch (SecretUnreadableException)
            {
                (user.GitHubTokenKeyId, user.GitHubTokenSealed) = (null, null);
                unreadable++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new SealedSetRotation(Name, resealed, unreadable);
    }

    private static string GitHubTokenPurpose(string login) => $"github-token:{login}";
}
