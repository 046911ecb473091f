using System.Text;
using System.Text.RegularExpressions;

namespace RemoltBlazor.Sandboxes.Terminals;

/// <summary>
/// Finds authentication URLs (OAuth, authorize, login, device codes) in a terminal's output stream, so the UI can offer
/// them outside the terminal. Agent CLIs print them in ways that break naive matching (claude-code #23804): wrapped in
/// OSC 8 hyperlinks, coloured with SGR sequences, or hard-wrapped at the terminal's width. This reads raw TTY bytes in
/// any chunking, keeps a bounded tail of text, and reports each distinct URL once.
/// </summary>
public sealed partial class AuthUrlDetector
{
    private const int MaxTail = 8192;
    private const int MaxUrlLength = 4096;

    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _pending = new();
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly Regex[] _extraPatterns;

    /// <param name="columns">The terminal width: a URL line exactly this long continues on the next line.</param>
    /// <param name="extraPatterns">An agent's own <c>auth_url_patterns</c> (already validated on load).</param>
    public AuthUrlDetector(int columns, IEnumerable<string>? extraPatterns = null)
    {
        Columns = columns;
        _extraPatterns = [.. (extraPatterns ?? []).Select(p => new Regex(p, RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(50)))];
    }

    public int Columns { get; set; }

    /// <summary>Feeds output; returns the authentication URLs first seen in it (usually none).</summary>
    public IReadOnlyList<string> Feed(ReadOnlySpan<byte> output)
    {
        var chars = new char[_decoder.GetCharCount(output, flush: false)];
        _decoder.GetChars(output, chars, flush: false);
        _pending.Append(chars);
        var text = _pending.ToString();

        // Keep an unfinished escape sequence or line for the next chunk: a URL may be split anywhere.
        var cut = text.LastIndexOf('\n');
        var complete = cut < 0 ? "" : text[..(cut + 1)];
        var rest = cut < 0 ? text : text[(cut + 1)..];
        if (rest.Length > MaxTail)
        {
            rest = rest[^MaxTail..];
        }

        _pending.Clear().Append(rest);
        return complete.Length == 0 ? [] : Scan(complete);
    }

    /// <summary>Scans what is still pending (call when output pauses, e.g. a prompt without a newline).</summary>
    public IReadOnlyList<string> Flush()
    {
        var text = _pending.ToString();
        return text.Length == 0 ? [] : Scan(text, final: true);
    }

    private List<string> Scan(string text, bool final = false)
    {
        var found = new List<string>();
        foreach (Match link in Osc8Link().Matches(text))
        {
            Report(link.Groups["uri"].Value, found);
        }

        var plain = StripEscapes(text).Replace("\r", "", StringComparison.Ordinal);
        var lines = plain.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match url in PlainUrl().Matches(lines[i]))
            {
                var value = url.Value;
                // Hard-wrapped: the URL runs to the last column, so the next line carries on with it.
                var line = lines[i];
                var j = i;
                while (Columns > 0 && url.Index + url.Length == line.Length && line.Length % Columns == 0
                    && j + 1 < lines.Length && LeadingUrlPart().Match(lines[j + 1]) is { Success: true, Length: > 0 } more
                    && value.Length < MaxUrlLength)
                {
                    value += more.Value;
                    j++;
                    line = lines[j];
                    if (more.Length != line.Length)
                    {
                        break;
                    }
                }

                if (j + 1 >= lines.Length && !final && j > i)
                {
                    continue; // It may go on in output not seen yet.
                }

                Report(value.TrimEnd('.', ',', ')', ']', '>', '"', '\''), found);
            }
        }

        return found;
    }

    private void Report(string url, List<string> found)
    {
        if (url.Length is < 12 or > MaxUrlLength || !IsAuthUrl(url) || !_reported.Add(url))
        {
            return;
        }

        found.Add(url);
    }

    private bool IsAuthUrl(string url) =>
        AuthWords().IsMatch(url) || _extraPatterns.Any(p => p.IsMatch(url));

    /// <summary>
    /// Removes escape sequences, keeping what the cursor movements among them mean for the text: tmux redraws with
    /// them instead of newlines and spaces, so a move to another row ends a line and a move along the row is a gap
    /// (otherwise a URL would run on into the next line's first word).
    /// </summary>
    internal static string StripEscapes(string text) => Escapes().Replace(text, static m =>
    {
        var sequence = m.ValueSpan;
        if (sequence.Length < 3 || sequence[1] != '[')
        {
            return "";
        }

        return sequence[^1] switch
        {
            'A' or 'B' or 'E' or 'F' or 'H' or 'f' or 'd' => "\n",
            'C' or 'G' or 'X' or '`' => " ",
            _ => "",
        };
    });

    // OSC 8: ESC ] 8 ; params ; URI ST, ST being ESC \ or BEL.
    [GeneratedRegex(@"\x1b\]8;[^;\x07\x1b]*;(?<uri>[^\x07\x1b]+)(?:\x07|\x1b\\)")]
    private static partial Regex Osc8Link();

    // CSI sequences, OSC sequences (any), and two-character escapes.
    [GeneratedRegex(@"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")]
    private static partial Regex Escapes();

    [GeneratedRegex(@"https?://[^\s\x00-\x1f""<>]+")]
    private static partial Regex PlainUrl();

    [GeneratedRegex(@"^[^\s\x00-\x1f""<>]+")]
    private static partial Regex LeadingUrlPart();

    [GeneratedRegex(@"oauth|authorize|login|signin|sign-in|device|/auth[/?]|code=|client_id=", RegexOptions.IgnoreCase)]
    private static partial Regex AuthWords();
}
