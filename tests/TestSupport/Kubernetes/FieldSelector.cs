using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// A parsed <c>fieldSelector</c>: <c>field=value</c>, <c>field==value</c> or <c>field!=value</c> joined by commas,
/// over the fields the real server supports for every kind (metadata.name, metadata.namespace) and for pods
/// (status.phase, spec.nodeName).
/// </summary>
public sealed class FieldSelector
{
    private static readonly Dictionary<string, Func<JsonNode, string?>> s_fields = new(StringComparer.Ordinal)
    {
        ["metadata.name"] = resource => resource["metadata"]?["name"]?.GetValue<string>(),
        ["metadata.namespace"] = resource => resource["metadata"]?["namespace"]?.GetValue<string>(),
        ["status.phase"] = resource => resource["status"]?["phase"]?.GetValue<string>(),
        ["spec.nodeName"] = resource => resource["spec"]?["nodeName"]?.GetValue<string>(),
    };

    private readonly List<Func<JsonNode, bool>> _requirements = [];

    private FieldSelector()
    {
    }

    /// <exception cref="FormatException">An unknown field or a requirement without an operator (the real server's 400).</exception>
    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = part.Contains("!=", StringComparison.Ordinal);
            var pieces = part.Split(negated ? "!=" : part.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (pieces.Length != 2)
            {
                throw new FormatException($"invalid selector: '{part}'; can't understand '{part}'");
            }

            if (!s_fields.TryGetValue(pieces[0].Trim(), out var read))
            {
                throw new FormatException($"field label not supported: {pieces[0].Trim()}");
            }

            var expected = pieces[1].Trim();
            selector._requirements.Add(resource => (read(resource) ?? "") == expected != negated);
        }

        return selector;
    }

    public bool Matches(JsonNode resource) => _requirements.TrueForAll(requirement => requirement(resource));
}
