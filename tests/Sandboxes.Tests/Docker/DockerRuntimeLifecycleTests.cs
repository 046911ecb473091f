using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>
/// What the Docker runtime makes (container settings, the session network, its subnets) and how it meets a foreign or
/// half-gone engine state. What every runtime's lifecycle does is the runtime contract's
/// (Contract/SandboxRuntimeContractTests.Lifecycle.cs).
/// </summary>
public sealed class DockerRuntimeLifecycleTests
{
    [DockerFact]
    public async Task CreateAsync_ThenRemoveAsync_LeavesNoContainerOrNetwork()
    {
        await using var docker = new DockerTestRuntime();
        var sessionId = docker.SessionId;
        var filter = $"label=remolt.session-id={sessionId}";

        var handle = await docker.CreateAsync("alice", "claude", new Dictionary<string, string> { ["FOO"] = "bar" });

        handle.SandboxId.ShouldBe($"remolt-{sessionId}");
        (await DockerTestEngine.CliAsync("inspect", handle.SandboxId, "--format",
            "{{.State.Running}} {{.Config.User}} {{.HostConfig.Init}} {{.HostConfig.NetworkMode}} {{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}"))
            .ShouldBe($"true dev true remolt-net-{sessionId} {512L * 1024 * 1024} 1000000000 512");
        (await DockerTestEngine.CliAsync("inspect", handle.SandboxId, "--format", "{{range .Config.Env}}{{println .}}{{end}}")).ShouldContain("FOO=bar");
        (await DockerTestEngine.CliAsync("network", "inspect", $"remolt-net-{sessionId}", "--format",
            "{{index .Labels \"remolt.managed\"}} {{index .Labels \"remolt.owner\"}} {{index .Labels \"remolt.agent\"}} {{range .IPAM.Config}}{{.Subnet}}{{end}}"))
            .ShouldStartWith("true alice claude 10.214.");

        await docker.Runtime.RemoveAsync(handle.SandboxId, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        (await DockerTestEngine.CliAsync("ps", "-aq", "--filter", filter)).ShouldBeEmpty();
        (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", filter)).ShouldBeEmpty();
    }

    [DockerFact]
    public async Task RemoveAsync_ContainerAlreadyGone_StillRemovesItsNetwork()
    {
        await using var docker = new DockerTestRuntime();
        var handle = await docker.CreateAsync();
        await DockerTestEngine.CliAsync("rm", "-f", handle.SandboxId);

        await docker.Runtime.RemoveAsync(handle.SandboxId, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", $"label=remolt.session-id={docker.SessionId}")).ShouldBeEmpty();
    }

    [DockerFact]
    public async Task CreateAsync_MissingImage_PointsAtTheBuildScript()
    {
        await using var docker = new DockerTestRuntime();
        var image = $"remolt-missing-{Guid.NewGuid():N}";

        var ex = await Should.ThrowAsync<SandboxRuntimeException>(
            docker.Runtime.CreateAsync(new SandboxSpec(docker.SessionId, "bob", "shell", image, new Dictionary<string, string>()), CancellationToken.None)
                .WaitAsync(DockerTestEngine.Timeout));

        ex.Message.ShouldContain("container/build-images.sh");
    }

    [DockerFact]
    public async Task CreateAsync_ContainerNameTaken_RemovesTheNetworkItMadeAndLeavesTheForeignContainer()
    {
        await using var docker = new DockerTestRuntime();
        var image = await DockerTestEngine.ImageAsync();
        // A foreign container already holds the name, so container create fails after the network exists.
        var foreign = await DockerTestEngine.CliAsync("create", "--name", $"remolt-{docker.SessionId}", "--label", $"remolt.session-id={docker.SessionId}", image);

        await Should.ThrowAsync<SandboxRuntimeException>(docker.CreateAsync());

        (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", $"label=remolt.session-id={docker.SessionId}")).ShouldBeEmpty();
        (await DockerTestEngine.CliAsync("ps", "-aq", "--no-trunc", "--filter", $"label=remolt.session-id={docker.SessionId}")).ShouldBe(foreign);
    }

    [DockerFact]
    public async Task SessionNetworksCreateAsync_ThirtyFiveSessions_AllGetDistinctSubnetsAndAreCleanedUp()
    {
        // A pool of its own; the engine's default pools would give out about 30 networks.
        await using var docker = new DockerTestRuntime("10.216.0.0/22");
        var sessions = Enumerable.Range(0, 35).Select(_ => docker.NewSessionId()).ToList();
        var subnets = new List<System.Net.IPNetwork>();
        foreach (var id in sessions)
        {
            var labels = new Dictionary<string, string> { [SandboxLabels.Managed] = "true", [SandboxLabels.SessionId] = id };
            subnets.Add(await docker.Runtime.Networks.CreateAsync(DockerSessionNetworks.NameFor(id), labels, CancellationToken.None)
                .WaitAsync(DockerTestEngine.Timeout));
        }

        subnets.Distinct().Count().ShouldBe(35);
        subnets.ShouldAllBe(s => s.PrefixLength == 28);
        (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", "label=remolt.session-id")).Split('\n').Length.ShouldBeGreaterThanOrEqualTo(35);

        foreach (var id in sessions)
        {
            await docker.Runtime.Networks.RemoveForSessionAsync(id, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
        }

        foreach (var id in sessions)
        {
            (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", $"label=remolt.session-id={id}")).ShouldBeEmpty();
        }
    }

    [DockerFact]
    public async Task SessionNetworksCreateAsync_SubnetTakenByForeignNetwork_SkipsIt()
    {
        await using var docker = new DockerTestRuntime("10.217.0.0/27");
        var foreign = docker.NewSessionId();
        var ours = docker.SessionId;
        await DockerTestEngine.CliAsync("network", "create", "--subnet", "10.217.0.0/28", "--label", $"remolt.session-id={foreign}", $"foreign-{foreign}");

        var subnet = await docker.Runtime.Networks.CreateAsync(DockerSessionNetworks.NameFor(ours),
            new Dictionary<string, string> { [SandboxLabels.Managed] = "true", [SandboxLabels.SessionId] = ours }, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        subnet.ToString().ShouldBe("10.217.0.16/28");
        (await DockerTestEngine.CliAsync("network", "inspect", DockerSessionNetworks.NameFor(ours), "--format", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}"))
            .ShouldBe("10.217.0.16/28 10.217.0.17");

        var ex = await Should.ThrowAsync<SandboxRuntimeException>(docker.Runtime.Networks.CreateAsync($"remolt-net-{ours}-2",
            new Dictionary<string, string> { [SandboxLabels.SessionId] = ours }, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));
        ex.Message.ShouldContain("No free /28 subnet");
    }

    [DockerFact]
    public async Task SessionNetworksCreateAsync_NameTaken_ThrowsAndMakesNoSecondNetwork()
    {
        await using var docker = new DockerTestRuntime("10.218.0.0/24");
        var name = DockerSessionNetworks.NameFor(docker.SessionId);
        var labels = new Dictionary<string, string> { [SandboxLabels.Managed] = "true", [SandboxLabels.SessionId] = docker.SessionId };
        await docker.Runtime.Networks.CreateAsync(name, labels, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        var ex = await Should.ThrowAsync<SandboxRuntimeException>(
            docker.Runtime.Networks.CreateAsync(name, labels, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));

        ex.Message.ShouldContain("already exists");
        (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", $"name=^{name}$")).Split('\n').Length.ShouldBe(1);
    }

    [DockerFact]
    public async Task ProbeAsync_RealEngine_IsAvailableWithTheEnginesVersionAndApi()
    {
        await using var docker = new DockerTestRuntime();

        var probe = await docker.Runtime.ProbeAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        probe.Available.ShouldBeTrue(probe.Detail);
        var version = await DockerTestEngine.CliAsync("version", "--format", "{{.Server.Version}}");
        var api = await DockerTestEngine.CliAsync("version", "--format", "{{.Server.APIVersion}}");
        probe.Detail.ShouldStartWith($"Docker {version} (API {api}) at ");
    }

    [Fact]
    public async Task ProbeAsync_SocketMissing_ReturnsUnavailableWithoutThrowing()
    {
        await using var docker = new DockerTestRuntime(socketPath: $"/tmp/remolt-none-{Guid.NewGuid():N}.sock");

        var probe = await docker.Runtime.ProbeAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        probe.Available.ShouldBeFalse();
        probe.Detail.ShouldContain("Docker engine not reachable");
        probe.Remedy.ShouldNotBeNull().Commands.ShouldNotBeNull().ShouldContain("docker.io"); // what the launch page tells the operator
    }

    [Fact]
    public async Task CreateAsync_SocketMissing_ThrowsRuntimeUnavailableNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"remolt-no-docker-{Guid.NewGuid():N}.sock");
        await using var docker = new DockerTestRuntime(socketPath: path);

        var ex = await Should.ThrowAsync<SandboxRuntimeUnavailableException>(
            docker.Runtime.CreateAsync(new SandboxSpec(docker.SessionId, "bob", "shell", "any-image", new Dictionary<string, string>()), CancellationToken.None)
                .WaitAsync(DockerTestEngine.Timeout));

        ex.Message.ShouldStartWith($"Docker engine not reachable at {path}: ");
    }
}
