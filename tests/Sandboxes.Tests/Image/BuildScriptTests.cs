using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Image;

/// <summary>container/build-images.sh with agents of the test's own (REMOLT_AGENTS_DIR): install steps and bad files.</summary>
public sealed class BuildScriptTests : IDisposable
{
    private readonly string _agents = Path.Combine(Path.GetTempPath(), "remolt-build-script-tests", Guid.NewGuid().ToString("N"));
    private readonly List<string> _images = [];

    public void Dispose()
    {
        foreach (var image in _images)
        {
            ImageRun.DockerAsync("rmi", "-f", image).GetAwaiter().GetResult();
        }

        if (Directory.Exists(_agents))
        {
            Directory.Delete(_agents, recursive: true);
        }
    }

    [DockerFact]
    public async Task AgentImages_InstallShOrInstallField_RunAsDevInTheImage()
    {
        var withScript = NewId();
        var withField = NewId();
        // install.sh wins over "install"; the field's command runs when there is no install.sh. Comments and
        // trailing commas are accepted, as by the server's parser.
        Write(withScript, $$"""{ "id": "{{withScript}}", "install": "echo field > ~/marker-field" }""");
        File.WriteAllText(Path.Combine(_agents, withScript, "install.sh"), "set -eu\nid -un > ~/marker-script\n");
        Write(withField, $$"""
            {
              // an agent with only an install command
              "id": "{{withField}}",
              "install": "id -un > ~/marker-field && printf '%s' \"$NPM_CONFIG_PREFIX\" >> ~/marker-field", /* as dev */
            }
            """);

        var build = await RunAsync(["--agent", withScript, "--agent", withField]);
        build.ExitCode.ShouldBe(0, ImageBuildScript.Tail(build.Output));

        var (code1, out1, err1) = await ImageRun.DockerAsync("run", "--rm", "--entrypoint", "bash", ImageOf(withScript), "-c", "cat ~/marker-script; ls ~");
        code1.ShouldBe(0, err1);
        out1.Split('\n')[0].ShouldBe("dev");
        out1.ShouldNotContain("marker-field");

        var (code2, out2, err2) = await ImageRun.DockerAsync("run", "--rm", "--entrypoint", "bash", ImageOf(withField), "-c", "cat ~/marker-field");
        code2.ShouldBe(0, err2);
        out2.ShouldBe("dev\n/home/dev/.local");
    }

    [DockerFact]
    public async Task AgentImage_BrokenAgentJson_FailsNamingTheFile()
    {
        var id = NewId();
        Write(id, """{ "id": "oops", "install": """);

        var build = await RunAsync(["--agent", id]);

        build.ExitCode.ShouldNotBe(0);
        build.Output.ShouldContain($"{id}/agent.json: invalid agent definition");
        (await ImageRun.DockerAsync("image", "inspect", ImageOf(id))).ExitCode.ShouldNotBe(0);
    }

    [DockerFact]
    public async Task AgentImage_IdDiffersFromFolder_FailsNamingTheFile()
    {
        var id = NewId();
        Write(id, """{ "id": "someone-else" }""");

        var build = await RunAsync(["--agent", id]);

        build.ExitCode.ShouldNotBe(0);
        build.Output.ShouldContain($"{id}/agent.json declares id 'someone-else'");
    }

    [Fact]
    public async Task UnknownAgent_FailsBeforeBuildingAnything()
    {
        Directory.CreateDirectory(_agents);

        var build = await RunAsync(["--agent", "no-such-agent"]);

        build.ExitCode.ShouldNotBe(0);
        build.Output.ShouldContain("unknown agent 'no-such-agent'");
        build.Output.ShouldNotContain("building");
    }

    [Fact]
    public async Task CodeServerFromUnknownSource_FailsBeforeBuildingAnything()
    {
        Directory.CreateDirectory(_agents);

        var build = await RunAsync(["--code-server", "4.139.1", "--code-server-from", "ftp"]);

        build.ExitCode.ShouldNotBe(0);
        build.Output.ShouldContain("--code-server-from wants release or npm, got 'ftp'");
        build.Output.ShouldNotContain("building");
    }

    private Task<ImageBuildScript.Result> RunAsync(string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["REMOLT_AGENTS_DIR"] = _agents };
        foreach (var folder in Directory.Exists(_agents) ? Directory.GetDirectories(_agents) : [])
        {
            var id = Path.GetFileName(folder);
            environment[AgentImages.VariableFor(id)] = ImageOf(id);
        }

        return ImageBuildScript.RunAsync(arguments, environment);
    }

    private string NewId()
    {
        var id = "t" + Guid.NewGuid().ToString("N")[..10];
        _images.Add(ImageOf(id));
        return id;
    }

    private static string ImageOf(string id) => $"remolt-build-test-{id}";

    private void Write(string id, string json)
    {
        Directory.CreateDirectory(Path.Combine(_agents, id));
        File.WriteAllText(Path.Combine(_agents, id, "agent.json"), json);
    }
}
