using k8s;
using k8s.Models;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// k8s/ applied with the real kubectl to the fake API server: a client-side dry run of <c>kubectl apply -k k8s/</c>
/// (what the README tells an operator to run; kubectl still needs the server's discovery to map every kind), and a
/// real apply of the base, twice, after which kubectl lists every object. kubectl's own validation is on (it leaves
/// field validation to the server; the fixture's strict typed parse of the same rendering refuses unknown fields).
/// The fake already has the namespace (as a cluster whose admin made it), so applying namespace.yaml configures it.
/// </summary>
public sealed class ManifestsApplyTests(ManifestsFixture manifests) : IClassFixture<ManifestsFixture>
{
    private const string Namespace = "namespace/remolt";

    private static readonly string[] s_baseObjects =
    [
        Namespace, "serviceaccount/remolt-server", "role.rbac.authorization.k8s.io/remolt-server",
        "rolebinding.rbac.authorization.k8s.io/remolt-server", "service/remolt-server", "persistentvolumeclaim/remolt-data",
        "deployment.apps/remolt-server", "networkpolicy.networking.k8s.io/remolt-sandbox-isolation",
        "networkpolicy.networking.k8s.io/remolt-server",
    ];

    [KubectlFact]
    public async Task A_client_side_dry_run_of_the_root_kustomization_accepts_every_object()
    {
        var dryRun = await manifests.Kubectl.RunAsync("apply", "--dry-run=client", "-k", ManifestsFixture.K8sFolder);
        dryRun.ExitCode.ShouldBe(0, dryRun.ToString());
        foreach (var name in s_baseObjects)
        {
            dryRun.Output.ShouldContain(name + (name == Namespace ? " configured" : " created") + " (dry run)", Case.Sensitive, dryRun.ToString());
        }

        // A dry run creates nothing.
        var listed = await manifests.Kubectl.RunAsync("get", "deployments,services,persistentvolumeclaims", "-n", "remolt", "-o", "name");
        listed.ExitCode.ShouldBe(0, listed.ToString());
        listed.Output.Trim().ShouldBeEmpty();
    }

    [KubectlFact]
    public async Task A_client_side_dry_run_of_the_example_overlay_accepts_its_ingress_too()
    {
        var dryRun = await manifests.Kubectl.RunAsync("apply", "--dry-run=client", "-k", Path.Combine(ManifestsFixture.K8sFolder, "overlays", "example"));
        dryRun.ExitCode.ShouldBe(0, dryRun.ToString());
        dryRun.Output.ShouldContain("ingress.networking.k8s.io/remolt-server created (dry run)", Case.Sensitive, dryRun.ToString());
        dryRun.Output.ShouldContain("deployment.apps/remolt-server created (dry run)", Case.Sensitive, dryRun.ToString());
    }

    [KubectlFact]
    public async Task The_base_applies_twice_and_kubectl_lists_what_it_created()
    {
        // A server of its own: the dry run above must find nothing created, whichever test runs first.
        await using var server = await FakeApiServer.StartAsync();
        using var kubectl = new Kubectl(server);
        var base_ = Path.Combine(ManifestsFixture.K8sFolder, "base");
        var first = await kubectl.RunAsync("apply", "-k", base_);
        first.ExitCode.ShouldBe(0, first.ToString());
        foreach (var name in s_baseObjects)
        {
            first.Output.ShouldContain(name + (name == Namespace ? " configured" : " created"), Case.Sensitive, first.ToString());
        }

        // Applying again changes nothing (kubectl compares with its last-applied annotation).
        var second = await kubectl.RunAsync("apply", "-k", base_);
        second.ExitCode.ShouldBe(0, second.ToString());
        foreach (var name in s_baseObjects)
        {
            second.Output.ShouldContain(name + " unchanged", Case.Sensitive, second.ToString());
        }

        var listed = await kubectl.RunAsync("get", "serviceaccounts,roles,rolebindings,services,persistentvolumeclaims,deployments,networkpolicies", "-n", "remolt", "-o", "name");
        listed.ExitCode.ShouldBe(0, listed.ToString());
        listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ShouldBe(s_baseObjects.Where(n => n != Namespace), ignoreOrder: true);
    }

    [KubectlFact]
    public async Task The_server_pod_passes_the_namespaces_pod_security_admission()
    {
        // No controller makes the Deployment's pod in the fake: make it by hand, from the rendered template, in the
        // namespace the base labels enforce=restricted (the fake's admission is the API server's, message and all).
        await using var server = await FakeApiServer.StartAsync();
        using var kubectl = new Kubectl(server);
        var applied = await kubectl.RunAsync("apply", "-k", Path.Combine(ManifestsFixture.K8sFolder, "base"));
        applied.ExitCode.ShouldBe(0, applied.ToString());
        var labels = await kubectl.RunAsync("get", "namespace", "remolt", "-o", "jsonpath={.metadata.labels.pod-security\\.kubernetes\\.io/enforce}");
        labels.Output.ShouldBe("restricted", labels.ToString());

        var template = ManifestsFixture.Named<V1Deployment>(manifests.Base, "remolt-server").Spec.Template;
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "remolt-server-admission", NamespaceProperty = "remolt", Labels = template.Metadata.Labels },
            Spec = template.Spec,
        };
        var created = await kubectl.RunAsync("create", "-f", kubectl.WriteFile("pod.yaml", KubernetesYaml.Serialize(pod)));
        created.ExitCode.ShouldBe(0, created.ToString());
        created.Output.ShouldContain("pod/remolt-server-admission created");
    }
}
