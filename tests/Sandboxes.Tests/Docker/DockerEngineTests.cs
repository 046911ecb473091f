using Docker.DotNet;
using Docker.DotNet.Models;
using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>What the runtime relies on from its Docker.DotNet connection: the pinned version and the errors.</summary>
public sealed class DockerEngineTests
{
    [DockerFact]
    public async Task RunAsync_RealEngine_PinsTheDaemonsOwnApiVersion()
    {
        using var engine = DockerTestEngine.Engine();

        var pinned = await engine.RunAsync("version", client => Task.FromResult(client.Options.ApiVersion), CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);

        pinned.ShouldBe(System.Version.Parse(await DockerTestEngine.CliAsync("version", "--format", "{{.Server.APIVersion}}")));
    }

    [DockerFact]
    public async Task RunAsync_ErrorAnswer_ThrowsRuntimeExceptionWithTheEnginesMessage()
    {
        using var engine = DockerTestEngine.Engine();
        var name = $"remolt-missing-{Guid.NewGuid():N}";

        var ex = await Should.ThrowAsync<SandboxRuntimeException>(
            engine.RunAsync("container inspect", client => client.Containers.InspectContainerAsync(name, CancellationToken.None), CancellationToken.None)
                .WaitAsync(DockerTestEngine.Timeout));

        ex.Message.ShouldBe($"Docker container inspect failed (404): No such container: {name}");
    }

    [DockerFact]
    public async Task CreateNetwork_OverlappingSubnet_IsTheOverlapTheSessionNetworksRetryOn()
    {
        await using var docker = new DockerTestRuntime();
        var first = docker.SessionId;
        var second = docker.NewSessionId();
        using var engine = DockerTestEngine.Engine();
        await DockerTestEngine.CliAsync("network", "create", "--subnet", "10.215.8.0/28", "--label", $"remolt.session-id={first}", $"remolt-net-{first}");

        DockerApiException? refused = null;
        await engine.RunAsync("network create", async client =>
        {
            try
            {
                await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
                {
                    Name = $"remolt-net-{second}",
                    Driver = "bridge",
                    IPAM = new IPAM { Driver = "default", Config = [new IPAMConfig { Subnet = "10.215.8.0/28", Gateway = "10.215.8.1" }] },
                    Labels = new Dictionary<string, string> { ["remolt.session-id"] = second },
                }, CancellationToken.None);
            }
            catch (DockerApiException ex)
            {
                refused = ex;
            }
        }, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        refused.ShouldNotBeNull();
        DockerSessionNetworks.IsOverlap(refused).ShouldBeTrue(DockerEngine.EngineMessage(refused));
    }

    [Fact]
    public void EngineMessage_JsonOrPlainBody_IsTheMessage()
    {
        DockerEngine.EngineMessage(new DockerApiException(System.Net.HttpStatusCode.NotFound, """{"message":"No such image: x"}""")).ShouldBe("No such image: x");
        DockerEngine.EngineMessage(new DockerApiException(System.Net.HttpStatusCode.BadGateway, " bad gateway\n")).ShouldBe("bad gateway");
    }
}
