using System.Security.Cryptography;
using System.Text;

namespace RemoltBlazor.Data.Secrets;

/// <summary>
/// Seals secrets (API keys, OAuth tokens) with AES-256-GCM under the key ring's current key. The purpose (for example
/// <c>api-key:alice:ANTHROPIC_API_KEY</c>) is authenticated data: a sealed value copied to another row or user does
/// not open there.
/// </summary>
public sealed class SecretProtector(SecretKeyRing keys)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public ProtectedSecret Protect(string plaintext, string purpose)
    {
        var (id, key) = keys.Current;
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceBytes + data.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceBytes, data.Length), sealedBytes.AsSpan(NonceBytes + data.Length), Encoding.UTF8.GetBytes(purpose));
        CryptographicOperations.ZeroMemory(data);
        return new ProtectedSecret(id, sealedBytes);
    }

    /// <summary>Opens a sealed secret; throws <see cref="SecretUnreadableException"/> when its key is gone or it was tampered with.</summary>
    public string Unprotect(ProtectedSecret secret, string purpose)
    {
        var key = keys.Find(secret.KeyId) ?? throw new SecretUnreadableException($"the key '{secret.KeyId}' it was sealed under is not in the key ring");
        if (secret.Sealed.Length < NonceBytes + TagBytes)
        {
            throw new SecretUnreadableException("it is too short to be sealed data");
        }

        var length = secret.Sealed.Length - NonceBytes - TagBytes;
        var data = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(secret.Sealed.AsSpan(0, NonceBytes), secret.Sealed.AsSpan(NonceBytes, length), secret.Sealed.AsSpan(NonceBytes + length), data, Encoding.UTF8.GetBytes(purpose));
            return Encoding.UTF8.GetString(data);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecretUnreadableException("it does not authenticate (tampered with, or sealed for another purpose)");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    /// <summary>
    /// Seals <paramref name="secret"/> again under the current key, same purpose and plaintext (a rotation's step); throws
    /// <see cref="SecretUnreadableException"/> when it cannot be opened.
    /// </summary>
    public ProtectedSecret Reseal(ProtectedSecret secret, string purpose) => Protect(Unprotect(secret, purpose), purpose);

    /// <summary>Whether <paramref name="secret"/> is sealed under an older key and should be re-sealed by a rotation.</summary>
    public bool IsStale(ProtectedSecret secret) => secret.KeyId != keys.CurrentId;
}

/// <summary>A sealed secret that cannot be opened; the message says why, never what it held.</summary>
public sealed class SecretUnreadableException(string reason) : Exception($"A stored secret cannot be read: {reason}.");
