using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

public sealed class DockerRuntimeLifecycleTests
{
    [DockerFact]
    public async Task CreateAsync_ThenRemoveAsync_LeavesNoContainerOrNetwork()
    {
        using var client = DockerTestEngine.Client();
        using var runtime = DockerTestEngine.Runtime(client);
        var sessionId = DockerTestEngine.NewSessionId();
        var filter = $"label=remolt.session-id={sessionId}";
        try
        {
            var image = await DockerTestEngine.ImageAsync();
            var handle = await runtime.CreateAsync(
                new SandboxSpec(sessionId, "alice", "claude", image, new Dictionary<string, string> { ["FOO"] = "bar" }), CancellationToken.None)
                .WaitAsync(DockerTestEngine.Timeout);

            handle.SandboxId.ShouldBe($"remolt-{sessionId}");
            (await DockerTestEngine.CliAsync("inspect", handle.SandboxId, "--format",
                "{{.State.Running}} {{.Config.User}} {{.HostConfig.Init}} {{.HostConfig.NetworkMode}} {{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}"))
                .ShouldBe($"true dev true remolt-net-{sessionId} {512L * 1024 * 1024} 1000000000 512");
            (await DockerTestEngine.CliAsync("inspect", handle.SandboxId, "--format", "{{range .Config.Env}}{{println .}}{{end}}")).ShouldContain("FOO=bar");
            (await DockerTestEngine.CliAsync("network", "inspect", $"remolt-net-{sessionId}", "--format",
                "{{index .Labels \"remolt.managed\"}} {{index .Labels \"remolt.owner\"}} {{index .Labels \"remolt.agent\"}} {{range .IPAM.Config}}{{.Subnet}}{{end}}"))
                .ShouldStartWith("true alice claude 10.214.");

            var listed = await runtime.ListManagedAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
            listed.ShouldContain(new SandboxInfo(handle.SandboxId, sessionId, "alice", "claude", Running: true));

            await runtime.RemoveAsync(handle.SandboxId, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

            (await DockerTestEngine.CliAsync("ps", "-aq", "--filter", filter)).ShouldBeEmpty();
            (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", filter)).ShouldBeEmpty();
            (await runtime.ListManagedAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout)).ShouldNotContain(s => s.SessionId == sessionId);

            // Removing again, or removing the network of a container that is already gone, is not an error.
            await runtime.RemoveAsync(handle.SandboxId, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
        }
        finally
        {
            await DockerTestEngine.CleanUpSessionAsync(sessionId);
        }
    }

    [DockerFact]
    public async Task RemoveAsync_ContainerAlreadyGone_StillRemovesItsNetwork()
    {
        using var client = DockerTestEngine.Client();
        using var runtime = DockerTestEngine.Runtime(client);
        var sessionId = DockerTestEngine.NewSessionId();
        try
        {
            var image = await DockerTestEngine.ImageAsync();
            var handle = await runtime.CreateAsync(new SandboxSpec(sessionId, "bob", "shell", image, new Dictionary<string, string>()), CancellationToken.None)
                .WaitAsync(DockerTestEngine.Timeout);
            await DockerTestEngine.CliAsync("rm", "-f", handle.SandboxId);

            await runtime.RemoveAsync(handle.SandboxId, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

            (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", $"label=remolt.session-id={sessionId}")).ShouldBeEmpty();
        }
        finally
        {
            await DockerTestEngine.CleanUpSessionAsync(sessionId);
        }
    }

    [DockerFact]
    public async Task CreateAsync_MissingImage_FailsNamingImageAndLeavesNoNetwork()
    {
        using var client = DockerTestEngine.Client();
        using var runtime = DockerTestEngine.Runtime(client);
        var sessionId = DockerTestEngine.NewSessionId();
        var image = $"remolt-missing-{Guid.NewGuid():N}";
        try
        {
            var ex = await Should.ThrowAsync<SandboxRuntimeException>(
                runtime.CreateAsync(new SandboxSpec(sessionId, "bob", "shell", image, new Dictionary<string, string>()), CancellationToken.None)
                    .WaitAsync(DockerTestEngine.Timeout));

            ex.Message.ShouldContain(image);
            ex.Message.ShouldContain("container/build-images.sh");
            (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", $"label=remolt.session-id={sessionId}")).ShouldBeEmpty();
            (await DockerTestEngine.CliAsync("ps", "-aq", "--filter", $"label=remolt.session-id={sessionId}")).ShouldBeEmpty();
        }
        finally
        {
            await DockerTestEngine.CleanUpSessionAsync(sessionId);
        }
    }

    [DockerFact]
    public async Task CreateAsync_ContainerNameTaken_RemovesTheNetworkItMade()
    {
        using var client = DockerTestEngine.Client();
        using var runtime = DockerTestEngine.Runtime(client);
        var sessionId = DockerTestEngine.NewSessionId();
        try
        {
            var image = await DockerTestEngine.ImageAsync();
            // A foreign container already holds the name, so container create fails after the network exists.
            await DockerTestEngine.CliAsync("create", "--name", $"remolt-{sessionId}", "--label", $"remolt.session-id={sessionId}", image);

            await Should.ThrowAsync<SandboxRuntimeException>(
                runtime.CreateAsync(new SandboxSpec(sessionId, "bob", "shell", image, new Dictionary<string, string>()), CancellationToken.None)
                    .WaitAsync(DockerTestEngine.Timeout));

            (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", $"label=remolt.session-id={sessionId}")).ShouldBeEmpty();
        }
        finally
        {
            await DockerTestEngine.CleanUpSessionAsync(sessionId);
        }
    }

    [DockerFact]
    public async Task SessionNetworksCreateAsync_ThirtyFiveSessions_AllGetDistinctSubnetsAndAreCleanedUp()
    {
        using var client = DockerTestEngine.Client();
        // A pool of its own; the engine's default pools would give out about 30 networks.
        using var runtime = DockerTestEngine.Runtime(client, DockerTestEngine.Options("10.216.0.0/22"));
        var sessions = Enumerable.Range(0, 35).Select(_ => DockerTestEngine.NewSessionId()).ToList();
        try
        {
            var subnets = new List<System.Net.IPNetwork>();
            foreach (var id in sessions)
            {
                var labels = new Dictionary<string, string> { [SandboxLabels.Managed] = "true", [SandboxLabels.SessionId] = id };
                subnets.Add(await runtime.Networks.CreateAsync(DockerSessionNetworks.NameFor(id), labels, CancellationToken.None)
                    .WaitAsync(DockerTestEngine.Timeout));
            }

            subnets.Distinct().Count().ShouldBe(35);
            subnets.ShouldAllBe(s => s.PrefixLength == 28);
            (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", "label=remolt.session-id")).Split('\n').Length.ShouldBeGreaterThanOrEqualTo(35);

            foreach (var id in sessions)
            {
                await runtime.Networks.RemoveForSessionAsync(id, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
            }

            foreach (var id in sessions)
            {
                (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", $"label=remolt.session-id={id}")).ShouldBeEmpty();
            }
        }
        finally
        {
            foreach (var id in sessions)
            {
                await DockerTestEngine.CleanUpSessionAsync(id);
            }
        }
    }

    [DockerFact]
    public async Task SessionNetworksCreateAsync_SubnetTakenByForeignNetwork_SkipsIt()
    {
        using var client = DockerTestEngine.Client();
        using var runtime = DockerTestEngine.Runtime(client, DockerTestEngine.Options("10.217.0.0/27"));
        var foreign = DockerTestEngine.NewSessionId();
        var ours = DockerTestEngine.NewSessionId();
        try
        {
            await DockerTestEngine.CliAsync("network", "create", "--subnet", "10.217.0.0/28", "--label", $"remolt.session-id={foreign}", $"foreign-{foreign}");

            var subnet = await runtime.Networks.CreateAsync(DockerSessionNetworks.NameFor(ours),
                new Dictionary<string, string> { [SandboxLabels.Managed] = "true", [SandboxLabels.SessionId] = ours }, CancellationToken.None)
                .WaitAsync(DockerTestEngine.Timeout);
            subnet.ToString().ShouldBe("10.217.0.16/28");

            var ex = await Should.ThrowAsync<SandboxRuntimeException>(runtime.Networks.CreateAsync($"remolt-net-{ours}-2",
                new Dictionary<string, string> { [SandboxLabels.SessionId] = ours }, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));
            ex.Message.ShouldContain("No free /28 subnet");
        }
        finally
        {
            await DockerTestEngine.CleanUpSessionAsync(foreign);
            await DockerTestEngine.CleanUpSessionAsync(ours);
        }
    }

    [DockerFact]
    public async Task AttachTerminalAsync_UnknownSandbox_ThrowsSandboxNotFound()
    {
        using var client = DockerTestEngine.Client();
        using var runtime = DockerTestEngine.Runtime(client);

        await Should.ThrowAsync<SandboxNotFoundException>(
            runtime.AttachTerminalAsync($"remolt-t-missing-{Guid.NewGuid():N}", new TerminalAttachOptions(), CancellationToken.None)
                .WaitAsync(DockerTestEngine.Timeout));
    }

    [DockerFact]
    public async Task AttachTerminalAsync_StoppedSandbox_ThrowsNotRunning()
    {
        using var client = DockerTestEngine.Client();
        using var runtime = DockerTestEngine.Runtime(client);
        var sessionId = DockerTestEngine.NewSessionId();
        try
        {
            var image = await DockerTestEngine.ImageAsync();
            await DockerTestEngine.CliAsync("create", "--name", $"remolt-{sessionId}", "--label", $"remolt.session-id={sessionId}", image);

            var ex = await Should.ThrowAsync<SandboxRuntimeException>(
                runtime.AttachTerminalAsync($"remolt-{sessionId}", new TerminalAttachOptions(), CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));

            ex.Message.ShouldContain("is not running");
        }
        finally
        {
            await DockerTestEngine.CleanUpSessionAsync(sessionId);
        }
    }

    [DockerFact]
    public async Task ProbeAsync_RealEngine_IsAvailable()
    {
        using var client = DockerTestEngine.Client();
        using var runtime = DockerTestEngine.Runtime(client);

        var probe = await runtime.ProbeAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        probe.Available.ShouldBeTrue(probe.Detail);
        probe.Detail.ShouldContain("Docker");
    }

    [Fact]
    public async Task ProbeAsync_SocketMissing_ReturnsUnavailableWithoutThrowing()
    {
        using var client = new RemoltBlazor.Sandboxes.Docker.Engine.DockerEngineClient($"/tmp/remolt-none-{Guid.NewGuid():N}.sock");
        using var runtime = DockerTestEngine.Runtime(client);

        var probe = await runtime.ProbeAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        probe.Available.ShouldBeFalse();
        probe.Detail.ShouldContain("Docker engine not reachable");
    }
}
