using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.Sandboxes.Local.Tools;

namespace RemoltBlazor.Sandboxes.Tests.Local.Tools;

/// <summary>Which install an agent's tool folder is for (as Dockerfile.agent picks it), and how sessions find the folder.</summary>
public sealed class LocalToolFoldersTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("remolt-tool-folders-").FullName;
    private readonly Dictionary<LocalToolFolders, AgentCatalog> _catalogs = [];

    [Fact]
    public void InstallFor_InstallScriptNotEmpty_RunsItInsteadOfAgentJsonsInstall()
    {
        var folders = Folders(("scripted", "npm install -g never-this", "echo from install.sh\n"));

        var install = folders.InstallFor(Agent(folders, "scripted")).ShouldNotBeNull();

        Encoding.UTF8.GetString(install.Script).ShouldBe("echo from install.sh\n");
        install.Source.ShouldBe("agents/scripted/install.sh");
        install.FolderName.ShouldMatch("^scripted-[0-9a-f]{12}$");
    }

    [Fact]
    public void InstallFor_EmptyInstallScript_RunsAgentJsonsInstall_NoneAtAll_Null()
    {
        var folders = Folders(("plain", "npm install -g plain-agent", ""), ("bare", "", null));

        Encoding.UTF8.GetString(folders.InstallFor(Agent(folders, "plain")).ShouldNotBeNull().Script).ShouldBe("npm install -g plain-agent\n");
        folders.InstallFor(Agent(folders, "bare")).ShouldBeNull();
        folders.ReadyFolderFor("bare").ShouldBeNull();
        folders.ReadyFolderFor("no-such-agent").ShouldBeNull();
    }

    [Fact]
    public void FolderFor_AnotherInstallVersion_AnotherFolder_TheSameInstall_TheSameFolder()
    {
        var first = Folders(("agent", "npm install -g agent@1", null));
        var same = Folders(("agent", "npm install -g agent@1", null));
        var next = Folders(("agent", "npm install -g agent@2", null));

        var folder = first.FolderFor(first.InstallFor(Agent(first, "agent"))!);
        Path.GetFileName(same.FolderFor(same.InstallFor(Agent(same, "agent"))!)).ShouldBe(Path.GetFileName(folder));
        Path.GetFileName(next.FolderFor(next.InstallFor(Agent(next, "agent"))!)).ShouldNotBe(Path.GetFileName(folder));
    }

    [Fact]
    public void ReadyFolderFor_OnlyWithTheMarker()
    {
        var folders = Folders(("agent", "npm install -g agent", null));
        var folder = folders.FolderFor(folders.InstallFor(Agent(folders, "agent"))!);
        Directory.CreateDirectory(Path.Combine(folder, "bin"));

        folders.ReadyFolderFor("agent").ShouldBeNull("an install that did not finish is never bound");
        File.WriteAllText(Path.Combine(folder, LocalToolFolders.Marker), "");
        folders.ReadyFolderFor("agent").ShouldBe(folder);
    }

    [Fact]
    public void Arguments_WithAToolFolder_BindsItReadOnlyWithItsBinOnThePath()
    {
        var folder = LocalSandboxFolder.For("/srv/data/sandboxes", "remolt-s1")!;

        var line = string.Join(' ', LocalSandboxCommand.Arguments(folder, "/srv/data/local-lib", "abc123", false, null, [], new Dictionary<string, string>(), "/srv/data/tools/a-0123456789ab"));
        var without = string.Join(' ', LocalSandboxCommand.Arguments(folder, "/srv/data/local-lib", "abc123", false, null, [], new Dictionary<string, string>()));

        line.ShouldContain($"--ro-bind /srv/data/tools/a-0123456789ab {LocalToolFolders.Inside} ");
        without.ShouldNotContain(LocalToolFolders.Inside + " ");
        line.ShouldContain($"--setenv PATH /home/dev/.local/bin:{LocalToolFolders.Inside}/bin:");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private AgentDefinition Agent(LocalToolFolders folders, string id) => _catalogs[folders].Find(id).ShouldNotBeNull();

    /// <summary>A data folder and agents folder of their own: agents with agent.json's install and, when not null, an install.sh.</summary>
    private LocalToolFolders Folders(params (string Id, string Install, string? Script)[] agents)
    {
        var data = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        foreach (var (id, install, script) in agents)
        {
            var folder = Directory.CreateDirectory(Path.Combine(data, "agents", id)).FullName;
            File.WriteAllText(Path.Combine(folder, "agent.json"), JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id, ["name"] = id, ["install"] = install }));
            if (script is not null)
            {
                File.WriteAllText(Path.Combine(folder, "install.sh"), script);
            }
        }

        var catalog = new AgentCatalog(Options.Create(new AgentOptions { AgentsDirectory = Path.Combine(data, "agents") }), new ConfigurationBuilder().Build(), NullLogger<AgentCatalog>.Instance);
        catalog.LoadErrors.ShouldBeEmpty();
        var folders = new LocalToolFolders(data, catalog, NullLogger.Instance);
        _catalogs[folders] = catalog;
        return folders;
    }
}
