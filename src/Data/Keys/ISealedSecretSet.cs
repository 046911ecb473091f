namespace RemoltBlazor.Data.Keys;

/// <summary>
/// A table of rows sealed with <see cref="Secrets.SecretProtector"/>. A master-key rotation asks every set to re-seal
/// the rows still under an older key before the old keys are retired; the stored API keys are one set, the users'
/// GitHub tokens another.
/// </summary>
public interface ISealedSecretSet
{
    /// <summary>What the rows are, for the rotation's report (for example <c>api keys</c>).</summary>
    string Name { get; }

    /// <summary>Re-seals every row not under the current key, each under its own purpose, without changing its plaintext.</summary>
    Task<SealedSetRotation> ResealStaleAsync(CancellationToken cancellationToken);
}

/// <summary>How many rows were re-sealed, and how many could not be opened (their key was already lost, or they were tampered with).</summary>
public sealed record SealedSetRotation(string Name, int Resealed, int Unreadable);
