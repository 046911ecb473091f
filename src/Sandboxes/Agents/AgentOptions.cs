using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Agents;

public sealed class AgentOptions
{
    /// <summary>Folder holding <c>&lt;id&gt;/agent.json</c>. Default: <c>agents</c> next to the app, else <c>/app/agents</c>.</summary>
    [ConfigurationKeyName("REMOLT_AGENTS_DIR")]
    public string? AgentsDirectory { get; set; }

    /// <summary>Image for every agent without its own <c>REMOLT_&lt;ID&gt;_IMAGE</c> (the original's REMOLT_SANDBOX_IMAGE).</summary>
    [ConfigurationKeyName("REMOLT_SANDBOX_IMAGE")]
    public string SandboxImage { get; set; } = "remolt-sandbox";

    public const string DefaultAgentId = "claude-code";
}
