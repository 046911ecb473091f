using System.Text.Json.Serialization;

namespace RemoltBlazor.Sandboxes.Agents;

/// <summary>One <c>agents/&lt;id&gt;/agent.json</c>, in the original's schema (behaviour page, section 10).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AgentDefinition
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    [JsonPropertyName("icon")]
    public string Icon { get; init; } = "";

    /// <summary>Build-time install command (the image's AGENT_INSTALL); the server does not run it.</summary>
    [JsonPropertyName("install")]
    public string Install { get; init; } = "";

    /// <summary>Shell run by the entrypoint at sandbox start (env AGENT_SETUP).</summary>
    [JsonPropertyName("setup")]
    public string Setup { get; init; } = "";

    [JsonPropertyName("ports")]
    public IReadOnlyList<AgentPort> Ports { get; init; } = [];

    [JsonPropertyName("resources")]
    public AgentResources? Resources { get; init; }

    [JsonPropertyName("env_defaults")]
    public IReadOnlyDictionary<string, string> EnvDefaults { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("env_schema")]
    public IReadOnlyList<AgentEnvVar> EnvSchema { get; init; } = [];

    [JsonPropertyName("welcome")]
    public string Welcome { get; init; } = "";

    [JsonPropertyName("warm_pool")]
    public bool WarmPool { get; init; }

    /// <summary>Log file path (or command) for the logs stream; a later issue wires it.</summary>
    [JsonPropertyName("logs")]
    public string? Logs { get; init; }

    /// <summary>Extra regular expressions that mark an authentication URL in terminal output.</summary>
    [JsonPropertyName("auth_url_patterns")]
    public IReadOnlyList<string> AuthUrlPatterns { get; init; } = [];

    [JsonIgnore]
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name;

    [JsonIgnore]
    public bool HasDashboard => Ports.Count > 0;
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AgentPort
{
    [JsonPropertyName("port")]
    public required int Port { get; init; }

    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("health_check")]
    public string HealthCheck { get; init; } = "/";

    [JsonPropertyName("auth_token")]
    public string AuthToken { get; init; } = "";
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AgentEnvVar
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("label")]
    public string Label { get; init; } = "";

    [JsonPropertyName("secret")]
    public bool Secret { get; init; }

    [JsonPropertyName("required")]
    public bool Required { get; init; }
}

/// <summary>Kubernetes-style requests and limits, e.g. <c>{"limits":{"cpu":"2","memory":"4Gi"}}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AgentResources
{
    [JsonPropertyName("requests")]
    public IReadOnlyDictionary<string, string>? Requests { get; init; }

    [JsonPropertyName("limits")]
    public IReadOnlyDictionary<string, string>? Limits { get; init; }
}
