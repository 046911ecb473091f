using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Sandboxes.Agents;

/// <summary>
/// The agents found in <c>agents/*/agent.json</c>, loaded once at start in sorted order. A broken file does not stop
/// the others from loading, but it is reported (<see cref="LoadErrors"/>, logged as an error), never silently skipped.
/// </summary>
public sealed partial class AgentCatalog
{
    private readonly Dictionary<string, AgentDefinition> _agents;
    private readonly IConfiguration _configuration;

    public AgentCatalog(IOptions<AgentOptions> options, IConfiguration configuration, ILogger<AgentCatalog> logger)
    {
        _configuration = configuration;
        Directory = ResolveDirectory(options.Value.AgentsDirectory);
        var errors = new List<string>();
        _agents = Load(Directory, errors);
        LoadErrors = errors;
        foreach (var error in errors)
        {
            LogBrokenAgent(logger, error);
        }

        LogLoaded(logger, _agents.Count, Directory ?? "(none)");
    }

    public string? Directory { get; }

    public IReadOnlyList<AgentDefinition> All => [.. _agents.Values];

    public IReadOnlyList<string> LoadErrors { get; }

    public AgentDefinition? Find(string id) => _agents.GetValueOrDefault(id);

    /// <summary>The agent's image: REMOLT_&lt;ID&gt;_IMAGE, else REMOLT_SANDBOX_IMAGE if set, else remolt-&lt;id&gt; (see <see cref="AgentImages"/>).</summary>
    public string ImageFor(AgentDefinition agent) => AgentImages.Resolve(agent.Id, _configuration);

    internal static Dictionary<string, AgentDefinition> Load(string? directory, List<string> errors)
    {
        var agents = new Dictionary<string, AgentDefinition>(StringComparer.Ordinal);
        if (directory is null)
        {
            errors.Add("No agents folder found (set REMOLT_AGENTS_DIR).");
            return agents;
        }

        foreach (var file in System.IO.Directory.GetFiles(directory, "agent.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(directory, file);
            try
            {
                var agent = AgentDefinitionParser.Parse(File.ReadAllText(file), name);
                if (!agents.TryAdd(agent.Id, agent))
                {
                    errors.Add($"{name}: id '{agent.Id}' is already defined by another agent.json");
                }
            }
            catch (AgentDefinitionException ex)
            {
                errors.Add(ex.Message);
            }
            catch (IOException ex)
            {
                errors.Add($"{name}: cannot be read: {ex.Message}");
            }
        }

        return agents;
    }

    private static string? ResolveDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return System.IO.Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        string[] candidates = [Path.Combine(AppContext.BaseDirectory, "agents"), "/app/agents"];
        return candidates.FirstOrDefault(System.IO.Directory.Exists);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Agent definition rejected: {Error}")]
    private static partial void LogBrokenAgent(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} agents from {Directory}")]
    private static partial void LogLoaded(ILogger logger, int count, string directory);
}
