using System.Security.Cryptography;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// Session ids are the only capability in URLs, so they are unguessable (32 chars of [a-z0-9], about 165 bits), and
/// unlike the original's token_urlsafe they are valid as Docker names, Kubernetes names and label values: lowercase
/// alphanumerics only, so they always start and end with an alphanumeric (behaviour page, section 12 item 2).
/// </summary>
public static class SessionIds
{
    public const int Length = 32;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Cheap shape check before any lookup, so junk ids never reach the database or a runtime.</summary>
    public static bool IsWellFormed(string? id)
    {
        if (id is null || id.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
