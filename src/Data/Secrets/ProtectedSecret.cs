namespace RemoltBlazor.Data.Secrets;

/// <summary>
/// A secret at rest: the id of the master key that sealed it and the sealed bytes (nonce, ciphertext, tag).
/// Stored as two columns, so a rotation can find every row still sealed under an old key.
/// </summary>
public sealed record ProtectedSecret(string KeyId, byte[] Sealed);
