using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Agents;

/// <summary>
/// Which image an agent's sandboxes run, from configuration alone (the server never pulls, and a Kubernetes node,
/// not the server, would be the one to look an image up), so the answer is the same on every replica:
/// <list type="number">
/// <item><c>REMOLT_&lt;ID&gt;_IMAGE</c> (upper case, dashes as underscores, e.g. REMOLT_CLAUDE_CODE_IMAGE);</item>
/// <item>else <c>REMOLT_SANDBOX_IMAGE</c> when it is set: one image for every agent without its own variable
/// (the original documented this fallback but never used it, bug 20);</item>
/// <item>else <c>remolt-&lt;id&gt;</c>, the image <c>container/build-images.sh</c> builds for the agent.</item>
/// </list>
/// A blank value counts as unset.
/// </summary>
public static class AgentImages
{
    public const string SandboxImageKey = "REMOLT_SANDBOX_IMAGE";

    /// <summary>The per-agent variable, e.g. <c>REMOLT_CLAUDE_CODE_IMAGE</c> for <c>claude-code</c>.</summary>
    public static string VariableFor(string agentId) => $"REMOLT_{agentId.ToUpperInvariant().Replace('-', '_')}_IMAGE";

    /// <summary>The image <c>container/build-images.sh</c> builds for an agent: <c>remolt-&lt;id&gt;</c>.</summary>
    public static string DefaultFor(string agentId) => $"remolt-{agentId}";

    /// <summary>What to do about a missing image, for error messages: the build command, or the settings to fix.</summary>
    public static string MissingImageHint(string agentId, string image) =>
        image == DefaultFor(agentId)
            ? $"build it with container/build-images.sh --agent {agentId}, or set {VariableFor(agentId)} or {SandboxImageKey} to an image that exists."
            : $"build it (container/build-images.sh builds remolt-sandbox and remolt-<id> for every agent), or correct {VariableFor(agentId)} / {SandboxImageKey}.";

    public static string Resolve(string agentId, IConfiguration configuration)
    {
        var own = configuration[VariableFor(agentId)];
        if (!string.IsNullOrWhiteSpace(own))
        {
            return own.Trim();
        }

        var shared = configuration[SandboxImageKey];
        return string.IsNullOrWhiteSpace(shared) ? DefaultFor(agentId) : shared.Trim();
    }
}
