using RemoltBlazor.Sandboxes.Kubernetes;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Tests.Contract;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The Kubernetes runtime on the fake API server with Docker-backed pods (over https with the bearer token), for the
/// contract tests. The fake's store is the independent witness of what exists; the fake removes its containers when
/// it is disposed, whatever the tests left.
/// </summary>
public sealed class KubernetesContractHost : IRuntimeContractHost
{
    private FakeApiServer? _api;
    private KubernetesRuntime? _runtime;

    public static string? SkipReason => TestEnvironment.DockerSkipReason;

    public ISandboxRuntime Runtime => _runtime ?? throw new InvalidOperationException("The host did not start.");

    public string SandboxImage { get; private set; } = "";

    public string InstanceId { get; } = TestRun.NewInstanceId();

    /// <summary>The pod spec's default memory limit (agent.json sets none for the contract's specs).</summary>
    public long? MemoryLimitBytes => 2L * 1024 * 1024 * 1024;

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        SandboxImage = await DockerTestEngine.ImageAsync();
        _api = await FakeApiServer.StartAsync(new FakeApiServerOptions { Pods = FakePodBackend.Docker });
        _runtime = KubernetesTestRuntime.Create(_api);
    }

    /// <summary>Stops the pod's container behind the runtime's back; the fake then reports the pod Failed or Succeeded.</summary>
    public async Task StopSandboxAsync(string sandboxId)
    {
        var api = _api ?? throw new InvalidOperationException("The host did not start.");
        var containers = await DockerTestEngine.CliAsync("ps", "-q", "--filter", $"label=remolt.fake-k8s.pod={FakeApiServer.Namespace}/{sandboxId}");
        foreach (var container in containers.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await DockerTestEngine.CliAsync("stop", "-t", "1", container);
        }

        await Poll.UntilAsync(
            () => api.Store.Get(FakeResourceKind.Pods, FakeApiServer.Namespace, sandboxId)["status"]?["phase"]?.GetValue<string>() is "Failed" or "Succeeded",
            TimeSpan.FromSeconds(30));
    }

    public Task<bool> ExistsAsync(string sessionId)
    {
        var api = _api ?? throw new InvalidOperationException("The host did not start.");
        var exists = new[] { FakeResourceKind.Pods, FakeResourceKind.PersistentVolumeClaims }
            .SelectMany(kind => api.Store.List(kind, FakeApiServer.Namespace, LabelSelector.Parse(null), FieldSelector.Parse(null)).Items)
            .Any(item => item["metadata"]?["annotations"]?[KubernetesPodSpec.SessionAnnotation]?.GetValue<string>() == sessionId);
        return Task.FromResult(exists);
    }

    public async Task DisposeAsync()
    {
        _runtime?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
