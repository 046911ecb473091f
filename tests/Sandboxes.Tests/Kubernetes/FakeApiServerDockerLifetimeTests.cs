using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>A Docker-backed fake leaves no container behind when it is disposed, whatever state its pods are in.</summary>
public sealed class FakeApiServerDockerLifetimeTests
{
    [DockerFact]
    public async Task Disposing_the_server_removes_its_containers()
    {
        var pods = new FakeApiServerDockerPods();
        await pods.InitializeAsync();
        string running;
        string exited;
        try
        {
            await pods.CreateAsync("up", pods.Pod("up"));
            await pods.CreateAsync("done", pods.Pod("done", command: "true"), waitReady: false);
            running = (await pods.UntilJsonPathAsync("up", "{.status.containerStatuses[0].containerID}", id => id.Length > 0))["docker://".Length..];
            exited = (await pods.UntilJsonPathAsync("done", "{.status.phase}:{.status.containerStatuses[0].state.terminated.containerID}", o => o.StartsWith("Succeeded:", StringComparison.Ordinal)))["Succeeded:docker://".Length..];
            (await DockerCli.RunAsync($"ps -aq --no-trunc --filter id={running}")).ShouldBe(running);
        }
        finally
        {
            await pods.DisposeAsync();
        }

        (await DockerCli.RunAsync($"ps -aq --no-trunc --filter id={running}")).ShouldBeEmpty();
        (await DockerCli.RunAsync($"ps -aq --no-trunc --filter id={exited}")).ShouldBeEmpty();
    }
}
