using k8s;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Lifecycle;
using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The session layer on pods across a restart (a new runtime instance each time, as a new server process): sessions
/// are adopted by the pods' labels and annotations, a vanished pod ends its session, an orphan pod is removed, and a
/// claimed warm pod carries its session's labels.
/// </summary>
public sealed class KubernetesRuntimeReconcileTests : IAsyncLifetime
{
    private FakeApiServer? _api;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is null)
        {
            _api = await FakeApiServer.StartAsync(new FakeApiServerOptions { Pods = FakePodBackend.Docker });
        }
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    [DockerFact]
    public async Task A_restart_adopts_live_pods_ends_sessions_whose_pod_vanished_and_removes_orphans()
    {
        var first = await DockerSessionHost.StartAsync(runtime: KubernetesTestRuntime.Create(_api!));
        var data = first.DataDirectory;
        var kept = await first.CreateAsync("alice");
        var vanished = await first.CreateAsync("alice");
        var orphaned = await first.CreateAsync("bob");
        await first.AbandonAsync();

        // While the server is down: one pod is deleted by hand, another session loses its database row.
        await Client().CoreV1.DeleteNamespacedPodAsync(vanished.SandboxId, FakeApiServer.Namespace, gracePeriodSeconds: 0);
        await Poll.UntilAsync(() => !PodExists(vanished.SandboxId!), TimeSpan.FromSeconds(30));
        await using (var db = DockerSessionHost.OpenDatabase(data))
        {
            db.Sessions.Remove(db.Sessions.Single(s => s.Id == orphaned.Id));
            await db.SaveChangesAsync();
        }

        await using var second = await DockerSessionHost.StartAsync(dataDirectory: data, runtime: KubernetesTestRuntime.Create(_api!));

        var recovered = second.Sessions.Snapshot().ShouldHaveSingleItem();
        (recovered.Id, recovered.SandboxId, recovered.Owner).ShouldBe((kept.Id, kept.SandboxId, "alice"));
        var lost = (await second.Store.FindAsync(vanished.Id, CancellationToken.None)).ShouldNotBeNull();
        (lost.State, lost.EndReason).ShouldBe((SessionState.Ended, "lost"));
        await Poll.UntilAsync(() => !PodExists(orphaned.SandboxId!), TimeSpan.FromSeconds(30));
        var result = await second.Runtime.ExecAsync(kept.SandboxId!, ["sh", "-c", "echo alive"], ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        System.Text.Encoding.UTF8.GetString(result.Stdout).ShouldBe("alive\n");
    }

    [DockerFact]
    public async Task A_claimed_warm_pod_is_relabelled_for_its_session_and_adopted_after_a_restart()
    {
        var settings = new Dictionary<string, string?> { ["REMOLT_WARM_POOL"] = "1" };
        var first = await DockerSessionHost.StartAsync(settings, runtime: KubernetesTestRuntime.Create(_api!));
        var data = first.DataDirectory;
        await first.WarmPool.FillAsync(CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
        var spare = (await first.WarmStore.ListAsync(WarmSandboxState.Ready, CancellationToken.None)).First(w => w.AgentId == "claude-code").SandboxId;

        var session = await first.CreateAsync("carol", new CreateSessionRequest(AgentId: "claude-code"));

        session.SandboxId.ShouldBe(spare);
        var pod = await Client().CoreV1.ReadNamespacedPodAsync(spare, FakeApiServer.Namespace);
        pod.Metadata.Labels.ShouldContainKeyAndValue(SandboxLabels.SessionId, session.Id);
        pod.Metadata.Labels.ShouldContainKeyAndValue(SandboxLabels.Owner, "carol");
        pod.Metadata.Annotations.ShouldContainKeyAndValue("remolt.dev/session-id", session.Id);
        await first.AbandonAsync();

        await using var second = await DockerSessionHost.StartAsync(settings, data, runtime: KubernetesTestRuntime.Create(_api!));

        var recovered = second.Sessions.Snapshot().ShouldHaveSingleItem();
        (recovered.Id, recovered.SandboxId).ShouldBe((session.Id, spare));
        var listed = (await second.Runtime.ListManagedAsync(CancellationToken.None)).Single(s => s.SandboxId == spare);
        (listed.SessionId, listed.Owner, listed.Running).ShouldBe((session.Id, "carol", true));
    }

    private IKubernetes Client() => new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_api!.KubeconfigPath));

    private bool PodExists(string name) =>
        _api!.Store.List(FakeResourceKind.Pods, FakeApiServer.Namespace, LabelSelector.Parse(null), FieldSelector.Parse(null)).Items
            .Any(pod => pod["metadata"]?["name"]?.GetValue<string>() == name);
}
