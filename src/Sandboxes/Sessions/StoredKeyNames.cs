using RemoltBlazor.Sandboxes.Agents;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// The names a user may store a key under: the original's <c>STORED_KEY_NAMES</c> and every <c>env_schema</c> entry
/// an agent of the catalog marks secret. Anything else is refused, so the store never holds a value no session takes.
/// </summary>
public sealed class StoredKeyNames
{
    /// <summary>The original's list (behaviour page, section 15 item 8).</summary>
    public static IReadOnlyList<string> Original { get; } = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY"];

    private readonly HashSet<string> _names;

    public StoredKeyNames(AgentCatalog agents)
    {
        _names = new HashSet<string>(Original, StringComparer.Ordinal);
        _names.UnionWith(agents.All.SelectMany(a => a.EnvSchema).Where(e => e.Secret).Select(e => e.Key));
        All = [.. _names.Order(StringComparer.Ordinal)];
        Labels = agents.All.SelectMany(a => a.EnvSchema).Where(e => _names.Contains(e.Key) && e.Label.Length > 0)
            .DistinctBy(e => e.Key).ToDictionary(e => e.Key, e => e.Label, StringComparer.Ordinal);
    }

    /// <summary>Every allowed name, sorted.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>A readable label per name where an agent gives one (for the settings dialog).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    public bool IsAllowed(string name) => _names.Contains(name);
}
