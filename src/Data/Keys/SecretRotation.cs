using RemoltBlazor.Data.Secrets;

namespace RemoltBlazor.Data.Keys;

/// <summary>
/// Rotates the master key: a fresh key becomes current, every sealed row of every <see cref="ISealedSecretSet"/> is
/// re-sealed under it, and only then are the old keys forgotten. Run with the server stopped
/// (<c>secrets rotate</c>): a running server holds the key ring in memory and would not see the new key.
/// </summary>
public sealed class SecretRotation(SecretKeyRing ring, IEnumerable<ISealedSecretSet> sets)
{
    public async Task<SecretRotationResult> RotateAsync(CancellationToken cancellationToken)
    {
        var retiring = ring.Ids;
        var current = ring.AddCurrentKey();
        var results = new List<SealedSetRotation>();
        foreach (var set in sets)
        {
            results.Add(await set.ResealStaleAsync(cancellationToken));
        }

        // Rows that could not be opened were already lost (their key was missing or they were tampered with);
        // keeping the old keys would not bring them back, so they are reported and the rotation completes.
        ring.RetireOldKeys();
        return new SecretRotationResult(current, retiring, results);
    }
}

public sealed record SecretRotationResult(string CurrentKeyId, IReadOnlyList<string> RetiredKeyIds, IReadOnlyList<SealedSetRotation> Sets);
