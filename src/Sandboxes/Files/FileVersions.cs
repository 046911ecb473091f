using System.Security.Cryptography;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// A file's version as the API hands it out: <c>sha256:HEX</c> of the content for files up to the text limit (the
/// bytes the reader saw, so a write naming it succeeds exactly when the file still holds them), else the
/// <see cref="FileStamp.Version"/> (<c>stat:...</c>). The sandbox script recomputes whichever form the writer names.
/// </summary>
internal static class FileVersions
{
    public const string HashPrefix = "sha256:";

    public static string OfContent(ReadOnlySpan<byte> content) => HashPrefix + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string OfHash(byte[] hash) => HashPrefix + Convert.ToHexStringLower(hash);

    /// <summary>Refuses what no read could have produced (it goes into the sandbox as an argument, so keep it tame).</summary>
    public static string? Check(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return null;
        }

        if (version.Length > 200 || !version.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.')
            || !(version.StartsWith(HashPrefix, StringComparison.Ordinal) || version.StartsWith("stat:", StringComparison.Ordinal)))
        {
            throw new FilePathException("The version is not one this API handed out.");
        }

        return version;
    }
}
