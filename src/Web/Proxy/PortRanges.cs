using System.Globalization;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// An allow-list of TCP ports written as comma-separated ports and ranges, e.g. <c>3000-3999,5173,8000-8999</c>.
/// The parser rejects anything it does not understand, so a typo in the setting fails the start instead of opening
/// (or closing) ports silently.
/// </summary>
internal sealed class PortRanges
{
    private readonly (int First, int Last)[] _ranges;

    private PortRanges((int First, int Last)[] ranges) => _ranges = ranges;

    public bool Contains(int port)
    {
        foreach (var (first, last) in _ranges)
        {
            if (port >= first && port <= last)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses the list; on failure <paramref name="errors"/> names every bad entry.</summary>
    public static bool TryParse(string? text, out PortRanges ranges, out IReadOnlyList<string> errors)
    {
        var found = new List<(int, int)>();
        var problems = new List<string>();
        var entries = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (entries is [""])
        {
            problems.Add("the list is empty");
        }

        foreach (var entry in entries)
        {
            if (entry.Length == 0)
            {
                if (entries.Length > 1)
                {
                    problems.Add("an entry is empty");
                }

                continue;
            }

            var dash = entry.IndexOf('-', StringComparison.Ordinal);
            var firstText = dash < 0 ? entry : entry[..dash].Trim();
            var lastText = dash < 0 ? entry : entry[(dash + 1)..].Trim();
            if (!TryParsePort(firstText, out var first) || !TryParsePort(lastText, out var last))
            {
                problems.Add($"'{entry}' is not a port (1-65535) or a range of ports like 3000-3999");
            }
            else if (first > last)
            {
                problems.Add($"'{entry}' ends before it starts");
            }
            else
            {
                found.Add((first, last));
            }
        }

        ranges = new PortRanges([.. found]);
        errors = problems;
        return problems.Count == 0;
    }

    public static bool TryParsePort(string? text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    public override string ToString() =>
        string.Join(',', _ranges.Select(r => r.First == r.Last
            ? r.First.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{r.First}-{r.Last}")));
}
