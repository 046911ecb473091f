using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Data.Secrets;

namespace RemoltBlazor.Data.Keys;

/// <summary>
/// Each user's stored API keys, sealed at rest. Which names are allowed is the caller's policy (the agents decide it);
/// this store only refuses what can never be a key: an over-long value or one with a NUL character.
/// </summary>
public sealed partial class ApiKeyStore(
    IDbContextFactory<RemoltDbContext> contexts,
    SecretProtector protector,
    TimeProvider time,
    ILogger<ApiKeyStore> logger) : ISealedSecretSet
{
    /// <summary>The longest value accepted (64 KiB: room for a service-account JSON, far below anything that strains a row).</summary>
    public const int MaxValueLength = 64 * 1024;

    public string Name => "api keys";

    /// <summary>The authenticated data a key is sealed under: a sealed value copied to another user or name does not open.</summary>
    public static string PurposeOf(string owner, string name) => $"api-key:{owner}:{name}";

    /// <summary>Why a value cannot be stored, or null when it can.</summary>
    public static string? Refusal(string name, string value) =>
        value.Length > MaxValueLength ? $"The value of {name} is longer than {MaxValueLength / 1024} KiB"
        : value.Contains('\0', StringComparison.Ordinal) ? $"The value of {name} contains a NUL character"
        : null;

    public async Task<IReadOnlyList<string>> NamesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.StoredKeys.AsNoTracking().Where(k => k.Owner == owner).OrderBy(k => k.Name).Select(k => k.Name).ToListAsync(cancellationToken);
    }

    /// <summary>The owner's keys in plaintext, for a new session. A row that no longer opens is left out and logged (by name only).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string owner, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.StoredKeys.AsNoTracking().Where(k => k.Owner == owner).ToListAsync(cancellationToken);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            try
            {
                keys[row.Name] = protector.Unprotect(new ProtectedSecret(row.KeyId, row.Sealed), PurposeOf(owner, row.Name));
            }
            catch (SecretUnreadableException ex)
            {
                LogUnreadable(logger, row.Name, owner, ex.Message);
            }
        }

        return keys;
    }

    /// <summary>
    /// Sets and removes keys in one transaction: a blank value removes its key. Every value is checked before anything
    /// is written, so a refused value leaves all keys as they were.
    /// </summary>
    public async Task ApplyAsync(string owner, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in changes)
        {
            if (value is not null && Refusal(name, value) is { } refusal)
            {
                throw new ArgumentException(refusal, nameof(changes));
            }
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var names = changes.Keys.ToList();
        var existing = await db.StoredKeys.Where(k => k.Owner == owner && names.Contains(k.Name)).ToDictionaryAsync(k => k.Name, StringComparer.Ordinal, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var (name, raw) in changes)
        {
            var value = raw?.Trim();
            existing.TryGetValue(name, out var row);
            if (string.IsNullOrEmpty(value))
            {
                if (row is not null)
                {
                    db.StoredKeys.Remove(row);
                }

                continue;
            }

            var sealedValue = protector.Protect(value, PurposeOf(owner, name));
            if (row is null)
            {
                db.StoredKeys.Add(new StoredKeyRecord { Owner = owner, Name = name, KeyId = sealedValue.KeyId, Sealed = sealedValue.Sealed, UpdatedAt = now });
            }
            else
            {
                (row.KeyId, row.Sealed, row.UpdatedAt) = (sealedValue.KeyId, sealedValue.Sealed, now);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Removes one key; false if the owner had none by that name.</summary>
    public async Task<bool> DeleteAsync(string owner, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.StoredKeys.Where(k => k.Owner == owner && k.Name == name).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task<SealedSetRotation> ResealStaleAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.StoredKeys.ToListAsync(cancellationToken);
        var (resealed, unreadable) = (0, 0);
        foreach (var row in rows.Where(r => protector.IsStale(new ProtectedSecret(r.KeyId, r.Sealed))))
        {
            var purpose = PurposeOf(row.Owner, row.Name);
            try
            {
                var fresh = protector.Reseal(new ProtectedSecret(row.KeyId, row.Sealed), purpose);
                (row.KeyId, row.Sealed) = (fresh.KeyId, fresh.Sealed);
                resealed++;
            }
            catch (SecretUnreadableException ex)
            {
                LogUnreadable(logger, row.Name, row.Owner, ex.Message);
                unreadable++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new SealedSetRotation(Name, resealed, unreadable);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored key {Name} of {Owner} cannot be opened and is skipped: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string name, string owner, string reason);
}
