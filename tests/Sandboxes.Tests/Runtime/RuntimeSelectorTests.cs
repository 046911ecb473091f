using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Runtime;

/// <summary>REMOLT_RUNTIME and auto's order: a service account, a Docker engine that answers, bwrap and tmux.</summary>
public sealed class RuntimeSelectorTests
{
    private readonly List<string> _asked = [];

    [Theory]
    [InlineData("docker", "docker")]
    [InlineData("Kubernetes", "kubernetes")]
    [InlineData("k8s", "kubernetes")]
    [InlineData(" local ", "local")]
    public void A_set_runtime_is_used_without_looking_at_the_host(string setting, string expected)
    {
        var selection = RuntimeSelector.Select(setting, Facts(inCluster: true, docker: true, tools: ["bwrap", "tmux"]));

        selection.Runtime.ShouldBe(expected);
        selection.Reason.ShouldBe($"REMOLT_RUNTIME={expected}");
        selection.NoneFound.ShouldBeNull();
        _asked.ShouldBeEmpty();
    }

    [Fact]
    public void Auto_prefers_the_cluster_then_docker_then_the_local_tools()
    {
        RuntimeSelector.Select("auto", Facts(inCluster: true, docker: true, tools: ["bwrap", "tmux"])).Runtime.ShouldBe("kubernetes");
        _asked.ShouldBe(["cluster"]);

        _asked.Clear();
        RuntimeSelector.Select(null, Facts(inCluster: false, docker: true, tools: ["bwrap", "tmux"])).Runtime.ShouldBe("docker");
        _asked.ShouldBe(["cluster", "docker"]);

        _asked.Clear();
        var local = RuntimeSelector.Select("", Facts(inCluster: false, docker: false, tools: ["bwrap", "tmux"]));
        local.Runtime.ShouldBe("local");
        local.Reason.ShouldContain("bwrap and tmux are on the PATH");
        local.NoneFound.ShouldBeNull();
    }

    [Theory]
    [InlineData(new[] { "tmux" }, "bwrap is missing")]
    [InlineData(new[] { "bwrap" }, "tmux is missing")]
    [InlineData(new string[0], "bwrap and tmux are missing")]
    public void Auto_with_nothing_usable_names_what_to_install(string[] tools, string missing)
    {
        var selection = RuntimeSelector.Select("auto", Facts(inCluster: false, docker: false, tools: tools));

        selection.Runtime.ShouldBe("docker");
        var remedy = selection.NoneFound.ShouldNotBeNull();
        remedy.Text.ShouldContain(missing);
        remedy.Commands.ShouldNotBeNull().ShouldContain("apt-get install -y bubblewrap tmux");
        remedy.Commands.ShouldContain("docker.io");
    }

    [Fact]
    public void An_unknown_runtime_is_refused_with_the_allowed_values()
    {
        Should.Throw<InvalidOperationException>(() => RuntimeSelector.Select("podman", Facts(false, false, [])))
            .Message.ShouldBe("REMOLT_RUNTIME is 'podman'; it must be auto, docker, kubernetes or local.");
    }

    [Fact]
    public void IsOnPath_finds_executables_only()
    {
        RuntimeSelector.IsOnPath("sh").ShouldBeTrue();
        RuntimeSelector.IsOnPath("remolt-no-such-tool").ShouldBeFalse();
    }

    private RuntimeHostFacts Facts(bool inCluster, bool docker, string[] tools) => new(
        () => { _asked.Add("cluster"); return inCluster; },
        () => { _asked.Add("docker"); return docker; },
        tool => { _asked.Add(tool); return tools.Contains(tool); });
}
