using k8s;
using k8s.Autorest;
using k8s.Models;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Kubernetes;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// Why a pod does not start, in words a user understands, and nothing left behind: an image the nodes cannot pull,
/// no node with room (Docker-backed fake pods), and what Pod Security "restricted" refuses.
/// </summary>
public sealed class KubernetesRuntimeStartFailureTests : IAsyncLifetime
{
    private FakeApiServer? _api;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is null)
        {
            _api = await FakeApiServer.StartAsync(new FakeApiServerOptions { Pods = FakePodBackend.Docker, NodeCapacity = new FakeNodeCapacity("4", "8Gi") });
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
    public async Task An_image_the_nodes_cannot_pull_is_named_with_the_kubelets_reason_and_the_pod_is_removed()
    {
        using var runtime = KubernetesTestRuntime.Create(_api!);

        var error = await Should.ThrowAsync<SandboxRuntimeException>(
            () => runtime.CreateAsync(KubernetesTestRuntime.Spec("sess-pull", "remolt-no-such-image:v9"), CancellationToken.None));

        error.Message.ShouldStartWith("The cluster cannot pull the sandbox image 'remolt-no-such-image:v9': ");
        error.Message.ShouldContain("Back-off pulling image");
        error.Message.ShouldContain("Push it to a registry the nodes can reach");
        (await runtime.ListManagedAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [DockerFact]
    public async Task A_pod_no_node_has_room_for_says_so_with_the_schedulers_message()
    {
        using var runtime = KubernetesTestRuntime.Create(_api!);
        var spec = KubernetesTestRuntime.Spec("sess-big", await SandboxImage.EnsureBuiltAsync()) with
        {
            Resources = new AgentResources
            {
                Requests = new Dictionary<string, string> { ["memory"] = "64Gi" },
                Limits = new Dictionary<string, string> { ["memory"] = "64Gi" },
            },
        };

        var error = await Should.ThrowAsync<SandboxRuntimeException>(() => runtime.CreateAsync(spec, CancellationToken.None));

        error.Message.ShouldStartWith("No node has room for the sandbox (0/1 nodes are available");
        error.Message.ShouldContain("Insufficient memory");
        (await runtime.ListManagedAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [DockerFact]
    public async Task The_runtimes_pod_passes_restricted_admission_and_a_violating_one_is_refused_with_the_reason()
    {
        var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_api!.KubeconfigPath));
        var spec = KubernetesTestRuntime.Spec("sess-psa", "remolt-sandbox:test");
        var compliant = KubernetesPodSpec.Build(spec, "remolt-psa-ok", KubernetesTestRuntime.Options(_api), null);
        (await client.CoreV1.CreateNamespacedPodAsync(compliant, FakeApiServer.Namespace)).Metadata.Name.ShouldBe("remolt-psa-ok");

        var violating = KubernetesPodSpec.Build(spec, "remolt-psa-root", KubernetesTestRuntime.Options(_api), null);
        violating.Spec.SecurityContext.RunAsNonRoot = null;
        violating.Spec.SecurityContext.RunAsUser = 0;
        violating.Spec.Containers[0].SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = true };
        var refused = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodAsync(violating, FakeApiServer.Namespace));

        refused.Response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        KubernetesApiCalls.IsAdmissionRefusal(refused).ShouldBeTrue(KubernetesApiCalls.ServerMessage(refused));
        KubernetesApiCalls.ServerMessage(refused).ShouldContain("allowPrivilegeEscalation != false");
    }
}
