using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Agents;

namespace RemoltBlazor.Sandboxes.Local.Tools;

/// <summary>
/// The shared, per-agent-version tool folders of local sandboxes, <c>&lt;data&gt;/tools/&lt;agent-id&gt;-&lt;hash12&gt;</c>:
/// what an agent's install put under its npm prefix, made once by <see cref="LocalToolBuilder"/> and bound read-only at
/// <see cref="Inside"/> in every session of that agent. A folder counts only with its marker, which the install writes
/// last before the folder is renamed into place.
/// </summary>
internal sealed partial class LocalToolFolders(string dataDirectory, AgentCatalog agents, ILogger logger)
{
    /// <summary>
    /// Where a tool folder appears inside the sandbox, for the install (writable) and for sessions (read-only); the
    /// same path in both, since installs record it (npm's links, scripts' paths). Under /tmp because the host's root is
    /// bound read-only and bwrap cannot make a mount point elsewhere (e.g. under /opt); /tmp is the sandbox's own tmpfs.
    /// </summary>
    public const string Inside = "/tmp/.remolt/tools";

    /// <summary>Written last into a finished tool folder; a folder without it is never used.</summary>
    public const string Marker = ".remolt-tools-complete";

    // Part of every hash: a change to how installs are laid out here makes new folders rather than reusing old ones.
    private const string LayoutVersion = "remolt-local-tools-1";

    public string Root { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "tools");

    /// <summary>Where installs run (their home, their tool folder until it is renamed into place).</summary>
    public string WorkRoot => Path.Combine(Root, ".work");

    public string FolderFor(LocalAgentInstall install) => Path.Combine(Root, install.FolderName);

    public static bool IsComplete(string folder) => File.Exists(Path.Combine(folder, Marker));

    /// <summary>What <paramref name="agent"/>'s install runs, or null when it has no install step.</summary>
    public LocalAgentInstall? InstallFor(AgentDefinition agent)
    {
        var file = agents.Directory is { } directory ? Path.Combine(directory, agent.Id, "install.sh") : null;
        if (file is not null && File.Exists(file) && new FileInfo(file).Length > 0)
        {
            return Describe(agent.Id, $"agents/{agent.Id}/install.sh", "install.sh", File.ReadAllBytes(file));
        }

        return string.IsNullOrWhiteSpace(agent.Install)
            ? null
            : Describe(agent.Id, $"the install command of agents/{agent.Id}/agent.json", "install", Encoding.UTF8.GetBytes(agent.Install + "\n"));
    }

    /// <summary>
    /// The finished tool folder a new sandbox of <paramref name="agentId"/> binds, or null: an agent without an install
    /// step, or one whose install has not run (building turned off, or it failed: the session starts without tools).
    /// </summary>
    public string? ReadyFolderFor(string agentId)
    {
        if (agents.Find(agentId) is not { } agent || InstallFor(agent) is not { } install)
        {
            return null;
        }

        var folder = FolderFor(install);
        if (IsComplete(folder))
        {
            return folder;
        }

        LogNotInstalled(logger, agentId, folder);
        return null;
    }

    private static LocalAgentInstall Describe(string agentId, string source, string kind, byte[] script)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{LayoutVersion}\n{kind}\n"));
        hash.AppendData(script);
        return new LocalAgentInstall(agentId, source, script, Convert.ToHexStringLower(hash.GetHashAndReset())[..12]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Agent}'s tools are not installed ({Folder} is missing): its sandbox starts without them")]
    private static partial void LogNotInstalled(ILogger logger, string agent, string folder);
}
