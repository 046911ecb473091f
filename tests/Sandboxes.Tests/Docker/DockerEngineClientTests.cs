using System.Net;
using RemoltBlazor.Sandboxes.Docker.Engine;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

public sealed class DockerEngineClientTests
{
    [DockerFact]
    public async Task PingAsync_RealEngine_NegotiatesAtMostMaxVersion()
    {
        using var client = DockerTestEngine.Client();

        var (engine, negotiated) = await client.System.PingAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        engine.ShouldBeGreaterThanOrEqualTo(DockerEngineClient.MinApiVersion);
        negotiated.ShouldBe(engine < DockerEngineClient.MaxApiVersion ? engine : DockerEngineClient.MaxApiVersion);
    }

    [DockerFact]
    public async Task VersionAsync_RealEngine_MatchesCli()
    {
        using var client = DockerTestEngine.Client();

        var version = await client.System.VersionAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        version.Version.ShouldBe(await DockerTestEngine.CliAsync("version", "--format", "{{.Server.Version}}"));
        version.ApiVersion.ShouldNotBeNullOrEmpty();
    }

    [DockerFact]
    public async Task InspectAsync_UnknownContainer_ThrowsDockerNotFound()
    {
        using var client = DockerTestEngine.Client();

        var ex = await Should.ThrowAsync<DockerNotFoundException>(
            client.Containers.InspectAsync($"remolt-missing-{Guid.NewGuid():N}", CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));

        ex.Status.ShouldBe(HttpStatusCode.NotFound);
        ex.EngineMessage.ShouldContain("No such container");
    }

    [DockerFact]
    public async Task ExistsAsync_UnknownImage_ReturnsFalse()
    {
        using var client = DockerTestEngine.Client();

        var exists = await client.Images.ExistsAsync($"remolt-missing-{Guid.NewGuid():N}", CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        exists.ShouldBeFalse();
    }

    [DockerFact]
    public async Task NetworkCreateAsync_ExplicitSubnet_CreatesWithLabelsAndRemoves()
    {
        using var client = DockerTestEngine.Client();
        var sessionId = DockerTestEngine.NewSessionId();
        var name = $"remolt-net-{sessionId}";
        var labels = new Dictionary<string, string> { [SandboxLabels.Managed] = "true", [SandboxLabels.SessionId] = sessionId };
        try
        {
            await client.Networks.CreateAsync(name, "10.215.7.16/28", "10.215.7.17", labels, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

            var listed = await client.Networks.ListByLabelAsync([$"{SandboxLabels.SessionId}={sessionId}"], CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
            listed.Single().Name.ShouldBe(name);
            (await DockerTestEngine.CliAsync("network", "inspect", name, "--format", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}"))
                .ShouldBe("10.215.7.16/28 10.215.7.17");

            var duplicate = await Should.ThrowAsync<DockerConflictException>(
                client.Networks.CreateAsync(name, "10.215.7.32/28", "10.215.7.33", labels, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));
            duplicate.EngineMessage.ShouldContain("already exists");

            await client.Networks.RemoveAsync(name, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
            (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", $"label=remolt.session-id={sessionId}")).ShouldBeEmpty();
        }
        finally
        {
            await DockerTestEngine.CleanUpSessionAsync(sessionId);
        }
    }

    [DockerFact]
    public async Task NetworkCreateAsync_OverlappingSubnet_ThrowsApiErrorNamingOverlap()
    {
        using var client = DockerTestEngine.Client();
        var first = DockerTestEngine.NewSessionId();
        var second = DockerTestEngine.NewSessionId();
        try
        {
            await client.Networks.CreateAsync($"remolt-net-{first}", "10.215.8.0/28", "10.215.8.1",
                new Dictionary<string, string> { [SandboxLabels.SessionId] = first }, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

            var ex = await Should.ThrowAsync<DockerApiException>(client.Networks.CreateAsync($"remolt-net-{second}", "10.215.8.0/28", "10.215.8.1",
                new Dictionary<string, string> { [SandboxLabels.SessionId] = second }, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));

            ex.EngineMessage.ShouldContain("overlap", Case.Insensitive);
        }
        finally
        {
            await DockerTestEngine.CleanUpSessionAsync(first);
            await DockerTestEngine.CleanUpSessionAsync(second);
        }
    }

    [Fact]
    public async Task PingAsync_SocketMissing_ThrowsRuntimeUnavailableNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"remolt-no-docker-{Guid.NewGuid():N}.sock");
        using var client = new DockerEngineClient(path);

        var ex = await Should.ThrowAsync<SandboxRuntimeUnavailableException>(
            client.System.VersionAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));

        ex.Message.ShouldStartWith($"Docker engine not reachable at {path}: ");
    }
}
