using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.Sandboxes.Local.Tools;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Tests.Contract.Local;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local.Tools;

/// <summary>
/// A data folder, an agents folder with the test's agents, and the local runtime with its tool builder over them, as
/// the app wires them. Disposing kills every sandbox of the data folder and deletes both folders.
/// </summary>
internal sealed class LocalToolsHost : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _agents;

    /// <param name="agents">Agent id to its install command (agent.json's <c>install</c>).</param>
    public LocalToolsHost(IReadOnlyDictionary<string, string> agents)
    {
        DataFolder = TestDataFolder.Create("local-tools");
        _agents = DataFolder + "-agents";
        foreach (var (id, install) in agents)
        {
            Directory.CreateDirectory(Path.Combine(_agents, id));
            File.WriteAllText(Path.Combine(_agents, id, "agent.json"), JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["id"] = id,
                ["name"] = $"Tools test {id}",
                ["install"] = install,
            }));
        }

        Catalog = new AgentCatalog(Options.Create(new AgentOptions { AgentsDirectory = _agents }), new ConfigurationBuilder().Build(), NullLogger<AgentCatalog>.Instance);
        Catalog.LoadErrors.ShouldBeEmpty();
        var options = Options.Create(new LocalOptions { DataDirectory = DataFolder });
        Folders = new LocalToolFolders(DataFolder, Catalog, NullLogger.Instance);
        Runtime = new LocalRuntime(options, NullLoggerFactory.Instance, tools: Folders);
        Builder = new LocalToolBuilder(Folders, () => Runtime, options, Options.Create(new SandboxImageOptions()), NullLogger<LocalToolBuilder>.Instance);
    }

    public string DataFolder { get; }

    public AgentCatalog Catalog { get; }

    public LocalToolFolders Folders { get; }

    public LocalRuntime Runtime { get; }

    public LocalToolBuilder Builder { get; }

    public string ToolsRoot => Path.Combine(DataFolder, "tools");

    public AgentDefinition Agent(string id) => Catalog.Find(id).ShouldNotBeNull();

    /// <summary>The finished and unfinished tool folders, without the work area.</summary>
    public IReadOnlyList<string> ToolFolders() =>
        Directory.Exists(ToolsRoot) ? [.. Directory.EnumerateDirectories(ToolsRoot).Where(d => Path.GetFileName(d) != ".work").Order(StringComparer.Ordinal)] : [];

    /// <summary>Whatever is left in the install work area (nothing, after any install ends).</summary>
    public IReadOnlyList<string> WorkLeft() =>
        Directory.Exists(Folders.WorkRoot) ? [.. Directory.EnumerateFileSystemEntries(Folders.WorkRoot, "*", SearchOption.AllDirectories).Where(File.Exists)] : [];

    public async Task<(SandboxImagePlan Plan, RecordingReporter Reporter)> InstallAsync(string agentId)
    {
        var plan = (await Builder.PlanAsync(Agent(agentId), $"remolt-{agentId}", CancellationToken.None)).ShouldNotBeNull();
        var reporter = new RecordingReporter();
        await Builder.BuildAsync(plan, reporter, CancellationToken.None).WaitAsync(Timeout);
        return (plan, reporter);
    }

    /// <summary>A new sandbox of <paramref name="agentId"/>, as a session launch makes it.</summary>
    public async Task<string> StartSandboxAsync(string agentId) =>
        (await Runtime.CreateAsync(new SandboxSpec($"s-{Guid.NewGuid():N}"[..14], "ada", agentId, $"remolt-{agentId}", new Dictionary<string, string>()), CancellationToken.None)
            .WaitAsync(Timeout)).SandboxId;

    /// <summary>Runs <paramref name="script"/> in a login shell of the sandbox (as a tmux window's shell starts), returning its output.</summary>
    public async Task<string> LoginShellAsync(string sandboxId, string script)
    {
        var result = await Runtime.ExecAsync(sandboxId, ["bash", "-lc", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(Timeout);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout);
    }

    public void Dispose()
    {
        LocalContractHost.KillAll(DataFolder);
        TestDataFolder.Delete(DataFolder);
        Directory.Delete(_agents, recursive: true);
    }
}
