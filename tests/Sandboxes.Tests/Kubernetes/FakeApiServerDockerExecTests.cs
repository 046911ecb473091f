using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>kubectl exec into a Docker-backed pod: docker exec in its container as the pod's user, TTY with resize, stdin, exit codes, logs.</summary>
public sealed class FakeApiServerDockerExecTests(FakeApiServerDockerPods pods) : IClassFixture<FakeApiServerDockerPods>, IAsyncLifetime
{
    private const string Pod = "box";

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is null && !pods.Server.Store.Exists(TestSupport.Kubernetes.FakeResourceKind.Pods, TestSupport.Kubernetes.FakeApiServer.Namespace, Pod))
        {
            await pods.CreateAsync(Pod, pods.Pod(Pod));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [DockerFact]
    public async Task Kubectl_exec_runs_in_the_container_as_the_pods_user_with_its_exit_code_and_stderr()
    {
        var exec = await pods.Kubectl.RunAsync("exec", Pod, "--", "sh", "-c", "id -u; id -g; echo oops >&2; exit 7");
        exec.ExitCode.ShouldBe(7, exec.ToString());
        exec.Output.ShouldBe("1000\n1000\n");
        exec.Error.ShouldContain("oops");
    }

    [DockerFact]
    public async Task Kubectl_exec_feeds_stdin_and_half_closes_it()
    {
        var exec = await pods.Kubectl.RunWithInputAsync(TimeSpan.FromSeconds(20), pods.Server.KubeconfigPath, "from stdin\n", "exec", "-i", Pod, "--", "cat");
        exec.ExitCode.ShouldBe(0, exec.ToString());
        exec.Output.ShouldBe("from stdin\n");
    }

    [DockerFact]
    public async Task Kubectl_exec_it_attaches_to_tmux_in_the_container_at_its_size_and_reattaches_to_the_earlier_output()
    {
        string[] tmux = ["env", "TERM=xterm-256color", "tmux", "-L", "fake"];
        var started = await pods.Kubectl.RunAsync(["exec", Pod, "--", .. tmux, "new-session", "-d", "-s", "s", "-x", "80", "-y", "24", "echo earlier-output-42; exec sleep 120"]);
        started.ExitCode.ShouldBe(0, started.ToString());
        for (var attach = 0; attach < 2; attach++)
        {
            var attached = pods.Kubectl.RunInTerminalAsync(37, 111, ["exec", "-it", Pod, "--", .. tmux, "attach", "-t", "s"]);
            var size = "";
            await Poll.UntilAsync(async () =>
            {
                size = (await pods.Kubectl.RunAsync(["exec", Pod, "--", .. tmux, "list-clients", "-F", "#{client_width}x#{client_height}"])).Output;
                return size.Trim() == "111x37";
            }, TimeSpan.FromSeconds(20));

            (await pods.Kubectl.RunAsync(["exec", Pod, "--", .. tmux, "detach-client", "-s", "s"])).ExitCode.ShouldBe(0);
            var exec = await attached;
            exec.ExitCode.ShouldBe(0, exec.ToString());
            exec.Output.ShouldContain("earlier-output-42", customMessage: exec.ToString());
        }
    }

    [DockerFact]
    public async Task Ctrl_P_reaches_a_tty_exec_at_once_as_through_a_kubelet()
    {
        // Docker's default detach keys start with Ctrl-P and would hold it back until the next key.
        var command = string.Join('&', new[] { "sh", "-c", "stty raw; dd bs=1 count=1 2>/dev/null | od -An -tx1" }.Select(part => "command=" + Uri.EscapeDataString(part)));
        using var socket = await FakeApiServerExecTests.ConnectAsync(pods.Server, Pod, command + "&stdin=true&stdout=true&tty=true", [TestSupport.Kubernetes.FakeExec.V5]);
        await Task.Delay(500);
        await FakeApiServerExecTests.SendAsync(socket, 0, "\u0010");
        var messages = await FakeApiServerExecTests.ReadAllAsync(socket);
        string.Concat(messages.Where(m => m.Channel == 1).Select(m => m.Text)).ShouldContain("10");
    }

    [DockerFact]
    public async Task Kubectl_logs_shows_what_the_container_wrote()
    {
        var logs = await pods.Kubectl.RunAsync("logs", Pod);
        logs.ExitCode.ShouldBe(0, logs.ToString());
        logs.Output.ShouldBe("started-log-line\n");
        (await pods.Kubectl.RunAsync("logs", Pod, "--tail=0")).Output.ShouldBeEmpty();
    }

    [DockerFact]
    public async Task Kubectl_exec_into_a_container_the_pod_does_not_have_is_refused()
    {
        var exec = await pods.Kubectl.RunAsync("exec", Pod, "-c", "nope", "--", "true");
        exec.ExitCode.ShouldNotBe(0);
        exec.Error.ShouldContain("container nope is not valid for pod box", customMessage: exec.ToString());
    }
}
