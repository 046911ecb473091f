using System.Text.Json;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// The terminal socket's only text message: <c>{"type":"resize","cols":C,"rows":R}</c>. Missing sizes default to the
/// original's 120x30, absurd ones are clamped here, where they enter (<see cref="TerminalSize"/>); anything else
/// (malformed JSON, other types) is ignored.
/// </summary>
internal static class ResizeMessage
{
    public const int MaxLength = 4096;

    public static bool TryParse(ReadOnlySpan<byte> utf8, out TerminalSize size)
    {
        size = TerminalSize.Default;
        if (utf8.Length is 0 or > MaxLength)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "resize")
            {
                return false;
            }

            size = new TerminalSize(ReadSize(root, "cols", size.Columns), ReadSize(root, "rows", size.Rows));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int ReadSize(JsonElement root, string name, int fallback)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return fallback;
        }

        return value.TryGetDouble(out var number) && double.IsFinite(number)
            ? (int)Math.Clamp(number, int.MinValue, int.MaxValue)
            : fallback;
    }
}
