using System.Text.Json;
using System.Text.RegularExpressions;

namespace RemoltBlazor.Sandboxes.Agents;

/// <summary>Parses and validates one agent.json, naming the file and the field in every error.</summary>
internal static partial class AgentDefinitionParser
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static AgentDefinition Parse(string json, string sourceName)
    {
        AgentDefinition? agent;
        try
        {
            agent = JsonSerializer.Deserialize<AgentDefinition>(json, s_json);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } path ? $" at {path}" : "";
            throw new AgentDefinitionException($"{sourceName}: invalid agent definition{where}: {ex.Message}", ex);
        }

        if (agent is null)
        {
            throw new AgentDefinitionException($"{sourceName}: the file is empty or null.");
        }

        var errors = Validate(agent).ToList();
        if (errors.Count > 0)
        {
            throw new AgentDefinitionException($"{sourceName}: {string.Join("; ", errors)}");
        }

        return agent;
    }

    private static IEnumerable<string> Validate(AgentDefinition agent)
    {
        if (!AgentIdPattern().IsMatch(agent.Id))
        {
            yield return $"field 'id' must be lowercase letters, digits and dashes (1-40 chars, starting with a letter), got '{agent.Id}'";
        }

        for (var i = 0; i < agent.Ports.Count; i++)
        {
            if (agent.Ports[i].Port is < 1 or > 65535)
            {
                yield return $"field 'ports[{i}].port' must be 1-65535, got {agent.Ports[i].Port}";
            }
        }

        for (var i = 0; i < agent.EnvSchema.Count; i++)
        {
            if (!EnvNamePattern().IsMatch(agent.EnvSchema[i].Key))
            {
                yield return $"field 'env_schema[{i}].key' is not an environment variable name: '{agent.EnvSchema[i].Key}'";
            }
        }

        foreach (var key in agent.EnvDefaults.Keys.Where(k => !EnvNamePattern().IsMatch(k)))
        {
            yield return $"field 'env_defaults' has a key that is not an environment variable name: '{key}'";
        }

        for (var i = 0; i < agent.AuthUrlPatterns.Count; i++)
        {
            string? error = null;
            try
            {
                _ = new Regex(agent.AuthUrlPatterns[i], RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException ex)
            {
                error = $"field 'auth_url_patterns[{i}]' is not a valid regular expression: {ex.Message}";
            }

            if (error is not null)
            {
                yield return error;
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex AgentIdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvNamePattern();
}

/// <summary>An agent.json that cannot be used; the message names the file and the field.</summary>
public sealed class AgentDefinitionException : Exception
{
    public AgentDefinitionException(string message) : base(message) { }

    public AgentDefinitionException(string message, Exception inner) : base(message, inner) { }
}
