namespace RemoltBlazor.Sandboxes.Local.Tools;

/// <summary>
/// What an agent's install runs, picked as <c>container/Dockerfile.agent</c> picks it: <c>agents/&lt;id&gt;/install.sh</c>
/// when it is not empty, else agent.json's <c>install</c>.
/// </summary>
/// <param name="Source">Where the script came from, for the install's first line (never the script itself).</param>
/// <param name="Script">The bash script the install runs.</param>
/// <param name="Hash">The first 12 hex digits of the script's hash: a new install version gets a new tool folder.</param>
internal sealed record LocalAgentInstall(string AgentId, string Source, byte[] Script, string Hash)
{
    /// <summary>The tool folder's name under <c>&lt;data&gt;/tools/</c>.</summary>
    public string FolderName => $"{AgentId}-{Hash}";
}
