using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Agents;

public sealed class AgentOptions
{
    /// <summary>Folder holding <c>&lt;id&gt;/agent.json</c>. Default: <c>agents</c> next to the app, else <c>/app/agents</c>.</summary>
    [ConfigurationKeyName("REMOLT_AGENTS_DIR")]
    public string? AgentsDirectory { get; set; }

    /// <summary>
    /// When set, the image for every agent without its own <c>REMOLT_&lt;ID&gt;_IMAGE</c>; unset, each agent runs
    /// <c>remolt-&lt;id&gt;</c>. Resolution reads configuration directly: <see cref="AgentImages.Resolve"/>.
    /// </summary>
    [ConfigurationKeyName(AgentImages.SandboxImageKey)]
    public string? SandboxImage { get; set; }

    public const string DefaultAgentId = "claude-code";
}
