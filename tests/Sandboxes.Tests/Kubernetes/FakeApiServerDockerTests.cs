using System.Text.Json.Nodes;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// Docker-backed pods driven by the real kubectl: the container is what the pod spec says, its status follows the
/// container (Ready, exit codes, deadline, image missing, no room on the node), and delete removes it.
/// </summary>
public sealed class FakeApiServerDockerTests(FakeApiServerDockerPods pods) : IClassFixture<FakeApiServerDockerPods>
{
    [DockerFact]
    public async Task A_created_pod_becomes_a_container_as_its_spec_says_and_goes_Ready()
    {
        await pods.CreateAsync("spec", pods.Pod("spec"));

        var containerId = await pods.UntilJsonPathAsync("spec", "{.status.containerStatuses[0].containerID}", id => id.StartsWith("docker://", StringComparison.Ordinal));
        var inspect = JsonNode.Parse(await DockerCli.RunAsync("inspect " + containerId["docker://".Length..]))![0]!;
        inspect["Name"]!.GetValue<string>().ShouldStartWith("/remolt-fakek8s-");
        inspect["Config"]!["User"]!.GetValue<string>().ShouldBe("1000:1000");
        inspect["Config"]!["Hostname"]!.GetValue<string>().ShouldBe("spec");
        inspect["Config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain("GREETING=hello-from-env");
        inspect["Config"]!["Labels"]!["remolt.fake-k8s"].ShouldNotBeNull();
        inspect["HostConfig"]!["NetworkMode"]!.GetValue<string>().ShouldBe("none");
        inspect["HostConfig"]!["CapDrop"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["ALL"]);
        inspect["HostConfig"]!["SecurityOpt"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain("no-new-privileges");
        inspect["HostConfig"]!["Memory"]!.GetValue<long>().ShouldBe(256L * 1024 * 1024);
        inspect["HostConfig"]!["NanoCpus"]!.GetValue<long>().ShouldBe(1_000_000_000L);
        inspect["HostConfig"]!["Tmpfs"]!["/scratch"]!.GetValue<string>().ShouldContain("size=67108864");

        var startedAt = await pods.UntilJsonPathAsync("spec", "{.status.phase}/{.spec.nodeName}/{.status.containerStatuses[0].state.running.startedAt}", _ => true);
        startedAt.ShouldStartWith("Running/fake-node/" + DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        var inside = await pods.Kubectl.RunAsync("exec", "spec", "--", "sh", "-c", "id -u; echo $GREETING; hostname; echo x > /scratch/f && cat /scratch/f");
        inside.ExitCode.ShouldBe(0, inside.ToString());
        inside.Output.ShouldBe("1000\nhello-from-env\nspec\nx\n");
    }

    [DockerFact]
    public async Task Hostname_fsGroup_and_a_claim_that_outlives_its_pod_are_as_on_a_node()
    {
        var claim = await pods.Kubectl.RunAsync("create", "-f", pods.Kubectl.WriteFile("claim.yaml", """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: keep}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}

            """), "--validate=false");
        claim.ExitCode.ShouldBe(0, claim.ToString());
        string Yaml(string name) => pods.Pod(name, extraSpec: "hostname: sandbox", fsGroup: "fsGroup: 1000",
            volumes: "[{name: scratch, emptyDir: {}}, {name: data, persistentVolumeClaim: {claimName: keep}}]",
            mounts: "[{name: scratch, mountPath: /scratch}, {name: data, mountPath: /data}]");

        await pods.CreateAsync("keeper", Yaml("keeper"));
        var inside = await pods.Kubectl.RunAsync("exec", "keeper", "--", "sh", "-c", "hostname; stat -c '%U %G %a' /scratch /data; id -G; echo kept > /data/f");
        inside.ExitCode.ShouldBe(0, inside.ToString());
        inside.Output.ShouldBe("sandbox\nroot dev 2777\nroot dev 2775\n1000\n");

        (await pods.Kubectl.RunAsync(TimeSpan.FromSeconds(60), pods.Server.KubeconfigPath, "delete", "pod", "keeper")).ExitCode.ShouldBe(0);
        await pods.CreateAsync("keeper2", Yaml("keeper2"));
        (await pods.Kubectl.RunAsync("exec", "keeper2", "--", "cat", "/data/f")).Output.ShouldBe("kept\n");
    }

    [DockerFact]
    public async Task Kubectl_delete_removes_the_container_and_then_the_pod()
    {
        await pods.CreateAsync("doomed", pods.Pod("doomed"));
        var containerId = (await pods.Kubectl.RunAsync("get", "pod", "doomed", "-o", "jsonpath={.status.containerStatuses[0].containerID}")).Output["docker://".Length..];

        var deleted = await pods.Kubectl.RunAsync(TimeSpan.FromSeconds(60), pods.Server.KubeconfigPath, "delete", "pod", "doomed");
        deleted.ExitCode.ShouldBe(0, deleted.ToString());
        deleted.Output.ShouldContain("pod \"doomed\" deleted");
        (await DockerCli.RunAsync($"ps -aq --no-trunc --filter id={containerId}")).ShouldBeEmpty();
        (await pods.Kubectl.RunAsync("get", "pod", "doomed")).Error.ShouldContain("pods \"doomed\" not found");
    }

    [DockerFact]
    public async Task A_container_that_exits_ends_the_pod_Succeeded_or_Failed_with_its_exit_code()
    {
        await pods.CreateAsync("fails", pods.Pod("fails", command: "exit 3"), waitReady: false);
        await pods.CreateAsync("succeeds", pods.Pod("succeeds", command: "true"), waitReady: false);

        (await pods.UntilJsonPathAsync("fails", "{.status.phase}/{.status.containerStatuses[0].state.terminated.exitCode}/{.status.containerStatuses[0].state.terminated.reason}", o => !o.StartsWith("Pending", StringComparison.Ordinal) && !o.StartsWith("Running", StringComparison.Ordinal)))
            .ShouldBe("Failed/3/Error");
        (await pods.UntilJsonPathAsync("succeeds", "{.status.phase}/{.status.containerStatuses[0].state.terminated.exitCode}", o => !o.StartsWith("Pending", StringComparison.Ordinal) && !o.StartsWith("Running", StringComparison.Ordinal)))
            .ShouldBe("Succeeded/0");
    }

    [DockerFact]
    public async Task A_pod_past_its_activeDeadlineSeconds_is_killed_and_Failed_with_DeadlineExceeded()
    {
        await pods.CreateAsync("late", pods.Pod("late", extraSpec: "activeDeadlineSeconds: 2"));
        var containerId = (await pods.Kubectl.RunAsync("get", "pod", "late", "-o", "jsonpath={.status.containerStatuses[0].containerID}")).Output["docker://".Length..];

        (await pods.UntilJsonPathAsync("late", "{.status.phase}/{.status.reason}", o => o.StartsWith("Failed", StringComparison.Ordinal)))
            .ShouldBe("Failed/DeadlineExceeded");
        (await DockerCli.RunAsync("inspect -f {{.State.Running}} " + containerId)).ShouldBe("false");
    }

    [DockerFact]
    public async Task An_activeDeadlineSeconds_patched_onto_a_running_pod_is_honoured()
    {
        await pods.CreateAsync("claimed", pods.Pod("claimed"));
        await Task.Delay(1500);
        (await pods.Kubectl.RunAsync("get", "pod", "claimed", "-o", "jsonpath={.status.phase}")).Output.ShouldBe("Running");

        var patched = await pods.Kubectl.RunAsync("patch", "pod", "claimed", "-p", "{\"spec\":{\"activeDeadlineSeconds\":1}}");
        patched.ExitCode.ShouldBe(0, patched.ToString());
        (await pods.UntilJsonPathAsync("claimed", "{.status.phase}/{.status.reason}", o => o.StartsWith("Failed", StringComparison.Ordinal)))
            .ShouldBe("Failed/DeadlineExceeded");
    }

    [DockerFact]
    public async Task An_image_the_engine_does_not_have_leaves_the_pod_in_ImagePullBackOff()
    {
        await pods.CreateAsync("nopull", pods.Pod("nopull", image: "remolt-no-such-image:0.0.1"), waitReady: false);

        (await pods.UntilJsonPathAsync("nopull", "{.status.phase}/{.status.containerStatuses[0].state.waiting.reason}/{.status.containerStatuses[0].state.waiting.message}", o => o.Contains("BackOff", StringComparison.Ordinal)))
            .ShouldBe("Pending/ImagePullBackOff/Back-off pulling image \"remolt-no-such-image:0.0.1\"");

        var exec = await pods.Kubectl.RunAsync("exec", "nopull", "--", "true");
        exec.ExitCode.ShouldNotBe(0);
        exec.Error.ShouldContain("container not found (\"sandbox\")", customMessage: exec.ToString());
        var logs = await pods.Kubectl.RunAsync("logs", "nopull");
        logs.Error.ShouldContain("container \"sandbox\" in pod \"nopull\" is waiting to start: trying and failing to pull image", customMessage: logs.ToString());
    }

    [DockerFact]
    public async Task A_pod_requesting_more_than_the_node_has_is_Unschedulable_with_the_schedulers_message()
    {
        await pods.CreateAsync("huge", pods.Pod("huge", requests: "{memory: 100Gi, cpu: 100m}", limits: "{memory: 100Gi}"), waitReady: false);

        var scheduled = await pods.UntilJsonPathAsync("huge", "{.status.conditions[?(@.type==\"PodScheduled\")].reason}: {.status.conditions[?(@.type==\"PodScheduled\")].message}", o => o.Length > 2);
        scheduled.ShouldStartWith("Unschedulable: 0/1 nodes are available: 1 Insufficient memory.");
        (await DockerCli.RunAsync("ps -aq --filter name=-huge --filter label=remolt.fake-k8s")).ShouldBeEmpty();
    }
}
