using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary><c>pods/{name}/log</c> of a pod without a container (what the test wrote to it), read with kubectl logs.</summary>
public sealed class FakeApiServerLogTests : FakeApiServerTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var created = await Cli.RunAsync("create", "-f", Cli.WriteFile("web.yaml", FakeApiServerFidelityTests.Pod("web", "x")), "--validate=false");
        created.ExitCode.ShouldBe(0, created.ToString());
        Server.AppendPodLog("web", "one\ntwo\nthree\n");
    }


    [Fact]
    public async Task Kubectl_logs_shows_the_log_and_its_tail()
    {
        var all = await Cli.RunAsync("logs", "web");
        all.ExitCode.ShouldBe(0, all.ToString());
        all.Output.ShouldBe("one\ntwo\nthree\n");

        var tail = await Cli.RunAsync("logs", "web", "--tail=2", "-c", "main");
        tail.ExitCode.ShouldBe(0, tail.ToString());
        tail.Output.ShouldBe("two\nthree\n");
    }

    [Fact]
    public async Task Kubectl_logs_follow_shows_what_comes_later_until_the_pod_goes()
    {
        var follow = Cli.RunAsync(TimeSpan.FromSeconds(30), Server.KubeconfigPath, "logs", "-f", "web");
        await Task.Delay(1000);
        Server.AppendPodLog("web", "four\n");
        await Task.Delay(500);
        follow.IsCompleted.ShouldBeFalse("kubectl logs -f ended while the pod was still there");
        (await Cli.RunAsync("delete", "pod", "web")).ExitCode.ShouldBe(0);

        var followed = await follow;
        followed.ExitCode.ShouldBe(0, followed.ToString());
        followed.Output.ShouldBe("one\ntwo\nthree\nfour\n");
    }

    [Fact]
    public async Task Kubectl_logs_of_a_container_the_pod_does_not_have_is_refused()
    {
        var refused = await Cli.RunAsync("logs", "web", "-c", "nope");
        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain("container nope is not valid for pod web", customMessage: refused.ToString());
    }
}
