using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// A parsed <c>labelSelector</c> as the API server understands it: requirements joined by commas, each
/// <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c> or <c>!k</c>.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    private LabelSelector()
    {
    }

    /// <exception cref="FormatException">The selector is not one the API server would accept.</exception>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        foreach (var part in SplitTopLevel(text ?? ""))
        {
            selector._requirements.Add(ParseRequirement(part.Trim()));
        }

        return selector;
    }

    public bool Matches(JsonNode resource)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value?.GetValue<string>() ?? "";
            }
        }

        return _requirements.TrueForAll(requirement => requirement(labels));
    }

    // Commas inside "in (a,b)" belong to the value set, so splitting counts parentheses.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        if (text.Length > start && !string.IsNullOrWhiteSpace(text[start..]))
        {
            yield return text[start..];
        }
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part)
    {
        if (part.Length == 0)
        {
            throw new FormatException("an empty label requirement");
        }

        if (part.StartsWith('!'))
        {
            var key = part[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }

        var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            var (key, value) = (part[..notEqual].Trim(), part[(notEqual + 2)..].Trim());
            return labels => !labels.TryGetValue(key, out var actual) || actual != value;
        }

        var equal = part.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0)
        {
            var value = part[(equal + 1)..].TrimStart('=').Trim();
            var key = part[..equal].Trim();
            return labels => labels.TryGetValue(key, out var actual) && actual == value;
        }

        var open = part.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && part.EndsWith(')'))
        {
            var words = part[..open].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = part[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return words switch
            {
                [var key, "in"] => labels => labels.TryGetValue(key, out var actual) && values.Contains(actual),
                [var key, "notin"] => labels => !labels.TryGetValue(key, out var actual) || !values.Contains(actual),
                _ => throw new FormatException($"unable to parse requirement: {part}"),
            };
        }

        if (part.Contains(' ', StringComparison.Ordinal))
        {
            throw new FormatException($"unable to parse requirement: {part}");
        }

        return labels => labels.ContainsKey(part);
    }
}
