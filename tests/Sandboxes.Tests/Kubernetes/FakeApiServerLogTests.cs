using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary><c>pods/{name}/log</c> of a pod without a container (what the test wrote to it), read with kubectl logs.</summary>
public sealed class FakeApiServerLogTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _kubectl = new Kubectl(_server);
        var created = await _kubectl.RunAsync("create", "-f", _kubectl.WriteFile("web.yaml", FakeApiServerFidelityTests.Pod("web", "x")), "--validate=false");
        created.ExitCode.ShouldBe(0, created.ToString());
        _server.AppendPodLog("web", "one\ntwo\nthree\n");
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Kubectl_logs_shows_the_log_and_its_tail()
    {
        var all = await _kubectl.RunAsync("logs", "web");
        all.ExitCode.ShouldBe(0, all.ToString());
        all.Output.ShouldBe("one\ntwo\nthree\n");

        var tail = await _kubectl.RunAsync("logs", "web", "--tail=2", "-c", "main");
        tail.ExitCode.ShouldBe(0, tail.ToString());
        tail.Output.ShouldBe("two\nthree\n");
    }

    [Fact]
    public async Task Kubectl_logs_follow_shows_what_comes_later_until_the_pod_goes()
    {
        var follow = _kubectl.RunAsync(TimeSpan.FromSeconds(30), _server.KubeconfigPath, "logs", "-f", "web");
        await Task.Delay(1000);
        _server.AppendPodLog("web", "four\n");
        await Task.Delay(500);
        follow.IsCompleted.ShouldBeFalse("kubectl logs -f ended while the pod was still there");
        (await _kubectl.RunAsync("delete", "pod", "web")).ExitCode.ShouldBe(0);

        var followed = await follow;
        followed.ExitCode.ShouldBe(0, followed.ToString());
        followed.Output.ShouldBe("one\ntwo\nthree\nfour\n");
    }

    [Fact]
    public async Task Kubectl_logs_of_a_container_the_pod_does_not_have_is_refused()
    {
        var refused = await _kubectl.RunAsync("logs", "web", "-c", "nope");
        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain("container nope is not valid for pod web", customMessage: refused.ToString());
    }
}
