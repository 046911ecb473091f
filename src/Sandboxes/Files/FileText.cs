using System.Text;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>Whether bytes are text the editor can show: no NUL in the first 8 KiB and valid UTF-8 throughout.</summary>
internal static class FileText
{
    public const int SniffLength = 8 * 1024;

    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The text, or null for binary content. A byte-order mark stays in the text (as U+FEFF) so that saving writes
    /// it back: the file keeps the bytes it had except where the user edited.
    /// </summary>
    public static string? TryDecode(ReadOnlySpan<byte> content)
    {
        if (content[..Math.Min(content.Length, SniffLength)].Contains((byte)0))
        {
            return null;
        }

        try
        {
            return s_strict.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    public static byte[] Encode(string text) => s_strict.GetBytes(text);
}
