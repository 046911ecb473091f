using System.Text.Json.Nodes;
using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The fake's watch streams and pod status transitions, checked with the real kubectl (<c>wait</c> watches) and
/// with the raw stream a client library reads.
/// </summary>
public sealed class FakeApiServerWatchTests() : FakeApiServerTestBase(new FakeApiServerOptions { Pods = FakePodBackend.Manual })
{
    private const string Ns = FakeApiServer.Namespace;



    [Fact]
    public async Task Kubectl_picks_the_binary_of_the_servers_version()
    {
        var version = await Cli.RunAsync("version", "-o", "json");
        version.ExitCode.ShouldBe(0, version.ToString());
        var json = JsonNode.Parse(version.Output)!;
        json["serverVersion"]!["minor"]!.GetValue<string>().ShouldBe(FakeDiscovery.Minor);
        json["clientVersion"]!["minor"]!.GetValue<string>().ShouldBe(FakeDiscovery.Minor, version.Output);
    }

    [Fact]
    public async Task Kubectl_wait_for_Ready_returns_once_the_pod_runs()
    {
        await CreateAsync("slow");
        var watchesBefore = Server.Store.WatcherCount;
        var wait = Cli.RunAsync(TimeSpan.FromSeconds(30), Server.KubeconfigPath, "wait", "--for=condition=Ready", "pod/slow", "--timeout=20s");

        await Poll.UntilAsync(() => Server.Store.WatcherCount > watchesBefore, TimeSpan.FromSeconds(15));
        await Task.Delay(300);
        wait.IsCompleted.ShouldBeFalse("kubectl wait returned while the pod was still Pending");

        Server.Store.Update(FakeResourceKind.Pods, Ns, "slow", FakePodStatuses.Running);
        var waited = await wait;
        waited.ExitCode.ShouldBe(0, waited.ToString());
        waited.Output.ShouldContain("pod/slow condition met");
    }

    [Fact]
    public async Task Kubectl_wait_times_out_on_a_pod_that_cannot_pull_its_image()
    {
        await CreateAsync("broken");
        Server.Store.Update(FakeResourceKind.Pods, Ns, "broken", FakePodStatuses.ImagePullBackOff);

        var waited = await Cli.RunAsync("wait", "--for=condition=Ready", "pod/broken", "--timeout=2s");
        waited.ExitCode.ShouldNotBe(0, waited.ToString());
        waited.Error.ShouldContain("timed out waiting for the condition");

        var reason = await Cli.RunAsync("get", "pod", "broken", "-o", "jsonpath={.status.phase}/{.status.containerStatuses[0].state.waiting.reason}/{.status.containerStatuses[0].state.waiting.message}");
        reason.Output.ShouldBe("Pending/ImagePullBackOff/Back-off pulling image \"busybox:1.36\"", reason.ToString());
    }

    [Fact]
    public async Task An_unschedulable_pod_says_so_in_its_PodScheduled_condition()
    {
        await CreateAsync("big");
        Server.Store.Update(FakeResourceKind.Pods, Ns, "big", pod => FakePodStatuses.Unschedulable(pod));

        var scheduled = await Cli.RunAsync("get", "pod", "big", "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}: {.status.conditions[?(@.type==\"PodScheduled\")].message}");
        scheduled.ExitCode.ShouldBe(0, scheduled.ToString());
        scheduled.Output.ShouldStartWith("Unschedulable: 0/1 nodes are available: 1 Insufficient memory.");
    }

    [Fact]
    public async Task Kubectl_wait_for_delete_returns_when_the_pod_goes()
    {
        await CreateAsync("doomed");
        var watchesBefore = Server.Store.WatcherCount;
        var wait = Cli.RunAsync(TimeSpan.FromSeconds(30), Server.KubeconfigPath, "wait", "--for=delete", "pod/doomed", "--timeout=20s");
        await Poll.UntilAsync(() => Server.Store.WatcherCount > watchesBefore, TimeSpan.FromSeconds(15));

        Server.Store.Delete(FakeResourceKind.Pods, Ns, "doomed");
        var waited = await wait;
        waited.ExitCode.ShouldBe(0, waited.ToString());
        waited.Output.ShouldContain("pod/doomed condition met");
    }

    [Fact]
    public async Task A_watch_streams_added_modified_and_deleted_lines_for_matching_pods_only()
    {
        using var client = Server.CreateHttpClient(withToken: true);
        var list = JsonNode.Parse(await client.GetStringAsync($"/api/v1/namespaces/{Ns}/pods"))!;
        var since = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var stream = await client.GetStreamAsync($"/api/v1/namespaces/{Ns}/pods?watch=true&labelSelector=app%3Dx&resourceVersion={since}");
        using var reader = new StreamReader(stream);

        await CreateAsync("seen", app: "x");
        await CreateAsync("unseen", app: "other");
        Server.Store.Update(FakeResourceKind.Pods, Ns, "unseen", FakePodStatuses.Running);
        Server.Store.Update(FakeResourceKind.Pods, Ns, "seen", FakePodStatuses.Running);
        Server.Store.Delete(FakeResourceKind.Pods, Ns, "seen");

        var lines = new List<(string Type, string Name, string? Phase)>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (lines.Count < 3)
        {
            var line = JsonNode.Parse((await reader.ReadLineAsync(deadline.Token))!)!;
            lines.Add((line["type"]!.GetValue<string>(), line["object"]!["metadata"]!["name"]!.GetValue<string>(), line["object"]!["status"]?["phase"]?.GetValue<string>()));
        }

        lines.ShouldBe([("ADDED", "seen", "Pending"), ("MODIFIED", "seen", "Running"), ("DELETED", "seen", "Running")]);
    }

    [Fact]
    public async Task A_relabelled_pod_leaves_and_enters_a_label_filtered_watch_as_DELETED_and_ADDED()
    {
        await CreateAsync("moving", app: "x");
        using var client = Server.CreateHttpClient(withToken: true);
        var since = Server.Store.ResourceVersion;
        using var stream = await client.GetStreamAsync($"/api/v1/namespaces/{Ns}/pods?watch=true&labelSelector=app%3Dx&resourceVersion={since}");
        using var reader = new StreamReader(stream);

        foreach (var app in new[] { "y", "z", "x" })
        {
            var relabelled = await Cli.RunAsync("label", "pod", "moving", "app=" + app, "--overwrite");
            relabelled.ExitCode.ShouldBe(0, relabelled.ToString());
        }

        var lines = new List<(string Type, string? App)>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (lines.Count < 2)
        {
            var line = JsonNode.Parse((await reader.ReadLineAsync(deadline.Token))!)!;
            lines.Add((line["type"]!.GetValue<string>(), line["object"]!["metadata"]!["labels"]!["app"]?.GetValue<string>()));
        }

        // app=y takes it out (DELETED, as it is now), app=z is not seen, app=x brings it back (ADDED).
        lines.ShouldBe([("DELETED", "y"), ("ADDED", "x")]);
    }

    private async Task CreateAsync(string name, string app = "x")
    {
        var file = Cli.WriteFile(name + ".yaml", FakeApiServerFidelityTests.Pod(name, app));
        var created = await Cli.RunAsync("create", "-f", file, "--validate=false");
        created.ExitCode.ShouldBe(0, created.ToString());
    }
}
