using System.Reflection;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using RemoltBlazor.Data;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Kubernetes;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The manifests in k8s/ as kustomize renders them: what a cluster would get from <c>kubectl apply -k</c>, checked
/// against what the server and the Kubernetes runtime need (Pod Security "restricted", least-privilege RBAC, probes,
/// one replica, the settings' real names).
/// </summary>
public sealed class ManifestsTests(ManifestsFixture manifests) : IClassFixture<ManifestsFixture>
{
    [KubectlFact]
    public void The_root_kustomization_is_the_base_and_the_example_adds_only_an_ingress()
    {
        Kinds(manifests.Root).ShouldBe(Kinds(manifests.Base));
        Kinds(manifests.Base).ShouldBe([
            "Deployment/remolt-server", "Namespace/remolt", "NetworkPolicy/remolt-sandbox-isolation", "NetworkPolicy/remolt-server",
            "PersistentVolumeClaim/remolt-data", "Role/remolt-server", "RoleBinding/remolt-server", "Service/remolt-server",
            "ServiceAccount/remolt-server",
        ]);
        Kinds(manifests.Example).ShouldBe([.. Kinds(manifests.Base), "Ingress/remolt-server"], ignoreOrder: true);
        // Everything namespaced lands in the namespace the manifests create, where the Role applies.
        foreach (var o in manifests.Example.OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace))
        {
            o.Metadata.NamespaceProperty.ShouldBe("remolt", $"{o.Kind}/{o.Metadata.Name}");
        }
    }

    [KubectlFact]
    public void The_namespace_enforces_pod_security_restricted_and_the_server_pod_passes_it()
    {
        foreach (var objects in Renderings)
        {
            NamespaceAndServerPod(objects);
        }
    }

    [KubectlFact]
    public void The_server_is_one_recreated_replica_with_probes_on_health_and_its_data_on_the_claim()
    {
        foreach (var objects in Renderings)
        {
            ServerDeployment(objects);
        }
    }

    [KubectlFact]
    public void The_restricted_check_catches_each_kind_of_violation()
    {
        // The check above would pass vacuously if it looked at nothing: break a copy of the real pod spec each way.
        static V1PodSpec Server(IReadOnlyList<object> objects) =>
            KubernetesYaml.Deserialize<V1PodSpec>(KubernetesYaml.Serialize(ManifestsFixture.Named<V1Deployment>(objects, "remolt-server").Spec.Template.Spec));
        var breaks = new Action<V1PodSpec>[]
        {
            // The container's own settings win over the pod's, so these break the container's.
            s => s.Containers[0].SecurityContext.RunAsNonRoot = false,
            s => s.Containers[0].SecurityContext.RunAsUser = 0,
            s => (s.SecurityContext.SeccompProfile, s.Containers[0].SecurityContext.SeccompProfile) = (null, null),
            s => (s.SecurityContext.RunAsUser, s.Containers[0].SecurityContext.RunAsUser) = (null, null),
            s => s.Containers[0].SecurityContext.AllowPrivilegeEscalation = true,
            s => s.Containers[0].SecurityContext.Capabilities.Drop = ["NET_RAW"],
            s => s.Containers[0].SecurityContext.Capabilities.Add = ["SYS_ADMIN"],
            s => s.Containers[0].SecurityContext.Privileged = true,
            s => s.HostNetwork = true,
            s => s.Volumes.Add(new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/" } }),
        };
        RestrictedProfile.Violations(Server(manifests.Base)).ShouldBeEmpty();
        foreach (var (breakIt, index) in breaks.Select((b, i) => (b, i)))
        {
            var spec = Server(manifests.Base);
            breakIt(spec);
            RestrictedProfile.Violations(spec).ShouldNotBeEmpty($"break #{index}");
        }
    }

    [KubectlFact]
    public void The_role_grants_exactly_the_calls_the_kubernetes_runtime_makes_in_its_namespace()
    {
        // Read from src/Sandboxes/Kubernetes: today pods (create, get, list, watch, patch, delete), pods/exec,
        // persistentvolumeclaims (create, delete) and networkpolicies (create, get, update). Spelled out here too,
        // so a change in the runtime's calls is seen in this test's diff, not only in the Role's.
        var expected = RuntimeApiCalls.Permissions();
        expected.ShouldBe(new Dictionary<string, string>
        {
            ["/pods"] = "create delete get list patch watch",
            ["/pods/exec"] = "create get",
            ["/persistentvolumeclaims"] = "create delete",
            ["networking.k8s.io/networkpolicies"] = "create get update",
        }, ignoreOrder: true);
        var role = ManifestsFixture.Named<V1Role>(manifests.Base, "remolt-server");
        var granted = role.Rules.SelectMany(rule =>
        {
            rule.ResourceNames.ShouldBeNull("no rule is limited to names the server cannot know in advance");
            rule.NonResourceURLs.ShouldBeNull();
            return rule.ApiGroups.SelectMany(group => rule.Resources.Select(resource => (Key: group + "/" + resource, rule.Verbs)));
        }).GroupBy(g => g.Key).ToDictionary(g => g.Key, g => string.Join(' ', g.SelectMany(x => x.Verbs).Order(StringComparer.Ordinal)));
        granted.ShouldBe(expected, ignoreOrder: true);
        manifests.Example.ShouldNotContain(o => o is V1ClusterRole || o is V1ClusterRoleBinding);

        var binding = ManifestsFixture.Named<V1RoleBinding>(manifests.Base, "remolt-server");
        binding.RoleRef.Kind.ShouldBe("Role");
        binding.RoleRef.Name.ShouldBe(role.Metadata.Name);
        var subject = binding.Subjects.ShouldHaveSingleItem();
        (subject.Kind, subject.Name, subject.NamespaceProperty).ShouldBe(("ServiceAccount", "remolt-server", "remolt"));
        ManifestsFixture.Named<V1ServiceAccount>(manifests.Base, "remolt-server").AutomountServiceAccountToken.ShouldBe(true);
    }

    [KubectlFact]
    public void The_sandbox_network_policy_is_the_one_the_runtime_writes_at_start()
    {
        // The server creates or replaces it by name at start: a difference would flip it back and forth on every
        // apply and restart. The runtime's defaults (REMOLT_K8S_SERVER_SELECTOR) are what the Deployment's labels match.
        var written = KubernetesJson.Serialize(KubernetesNetworkPolicy.Build(new KubernetesOptions()));
        foreach (var objects in Renderings)
        {
            KubernetesJson.Serialize(ManifestsFixture.Named<V1NetworkPolicy>(objects, KubernetesNetworkPolicy.Name)).ShouldBe(written);
        }
    }

    [KubectlFact]
    public void Every_setting_the_manifests_set_is_one_the_app_reads()
    {
        // A misspelt variable would be ignored silently by the app: each name must be one the source reads (a
        // ConfigurationKeyName or constant), an agent's image variable, or one of ASP.NET Core's own.
        var root = RemoltBlazor.TestSupport.SandboxImage.FindRepoRoot();
        var source = string.Join('\n', Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var agentImages = Directory.EnumerateDirectories(Path.Combine(root, "agents")).Select(d => AgentImages.VariableFor(Path.GetFileName(d))).ToHashSet();
        string[] aspNetCore = ["ASPNETCORE_URLS", "ASPNETCORE_FORWARDEDHEADERS_ENABLED"];
        var names = manifests.Example.Concat(manifests.Base).OfType<V1Deployment>()
            .SelectMany(d => d.Spec.Template.Spec.Containers).SelectMany(c => c.Env).Select(e => e.Name).Distinct().ToList();
        names.ShouldContain("REMOLT_MAX_SESSIONS");
        names.Where(name => !source.Contains($"\"{name}\"", StringComparison.Ordinal) && !agentImages.Contains(name) && !aspNetCore.Contains(name))
            .ShouldBeEmpty("settings no code reads");
    }

    [KubectlFact]
    public void The_example_overlay_names_a_registry_image_an_ingress_for_both_origins_and_its_settings()
    {
        var deployment = ManifestsFixture.Named<V1Deployment>(manifests.Example, "remolt-server");
        var server = deployment.Spec.Template.Spec.Containers.ShouldHaveSingleItem();
        server.Image.ShouldBe("registry.example.com/remolt/remolt-server:1.0.0");
        var env = server.Env.ToDictionary(e => e.Name, e => e.Value);
        env[SettingName<SessionOptions>(nameof(SessionOptions.MaxSessions))].ShouldBe("20");
        env["REMOLT_RUNTIME"].ShouldBe("kubernetes", "the patch adds settings and keeps the base's");

        // The app host is one the server answers to; the wildcard host is the apps origin's; both reach the app's port.
        var ingress = ManifestsFixture.Named<V1Ingress>(manifests.Example, "remolt-server");
        ingress.Spec.Rules.Select(r => r.Host).ShouldBe([env["REMOLT_ALLOWED_HOSTS"], env["REMOLT_APPS_HOST"]]);
        ingress.Spec.Tls.ShouldHaveSingleItem().Hosts.ShouldBe(ingress.Spec.Rules.Select(r => r.Host));
        var service = ManifestsFixture.Named<V1Service>(manifests.Example, "remolt-server");
        foreach (var backend in ingress.Spec.Rules.SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service))
        {
            backend.Name.ShouldBe(service.Metadata.Name);
            service.Spec.Ports.Single(p => p.Name == backend.Port.Name).TargetPort.Value.ShouldBe("http");
        }
    }

    private static void NamespaceAndServerPod(IReadOnlyList<object> objects)
    {
        var ns = ManifestsFixture.Named<V1Namespace>(objects, "remolt");
        ns.Metadata.Labels["pod-security.kubernetes.io/enforce"].ShouldBe("restricted");
        ns.Metadata.Labels["pod-security.kubernetes.io/audit"].ShouldBe("restricted");
        ns.Metadata.Labels["pod-security.kubernetes.io/warn"].ShouldBe("restricted");

        foreach (var deployment in objects.OfType<V1Deployment>())
        {
            RestrictedProfile.Violations(deployment.Spec.Template.Spec).ShouldBeEmpty(deployment.Metadata.Name);
        }
    }

    private static void ServerDeployment(IReadOnlyList<object> objects)
    {
        var deployment = ManifestsFixture.Named<V1Deployment>(objects, "remolt-server");
        deployment.Spec.Replicas.ShouldBe(1);
        deployment.Spec.Strategy.Type.ShouldBe("Recreate");
        var pod = deployment.Spec.Template;
        // The runtime's default REMOLT_K8S_SERVER_SELECTOR, which the sandbox policy lets in, and the Service's selector.
        pod.Metadata.Labels["app.kubernetes.io/name"].ShouldBe("remolt-server");
        deployment.Spec.Selector.MatchLabels.ShouldBe(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "remolt-server" });
        pod.Spec.ServiceAccountName.ShouldBe("remolt-server");
        pod.Spec.AutomountServiceAccountToken.ShouldBe(true);

        var server = pod.Spec.Containers.ShouldHaveSingleItem();
        server.Ports.Select(p => (p.Name, p.ContainerPort)).ShouldBe([("http", 8080), ("apps", 8081)]);
        Probe(server.StartupProbe, "/health");
        Probe(server.LivenessProbe, "/health");
        Probe(server.ReadinessProbe, "/health/ready");

        var env = server.Env.ToDictionary(e => e.Name);
        env["REMOLT_RUNTIME"].Value.ShouldBe("kubernetes");
        env["REMOLT_NAMESPACE"].ValueFrom.FieldRef.FieldPath.ShouldBe("metadata.namespace");
        env[SettingName<DataOptions>(nameof(DataOptions.DataDirectory))].Value.ShouldBe("/data");
        env["ASPNETCORE_URLS"].Value.ShouldBe("http://+:8080");
        // The pod gets longer to stop than the app lets requests finish (REMOLT_SHUTDOWN_TIMEOUT).
        TimeSpan.Parse(env["REMOLT_SHUTDOWN_TIMEOUT"].Value, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds
            .ShouldBeLessThan(pod.Spec.TerminationGracePeriodSeconds!.Value);
        var secret = server.EnvFrom.ShouldHaveSingleItem().SecretRef;
        (secret.Name, secret.Optional).ShouldBe(("remolt-auth", (bool?)true));

        // /data on the claim, /tmp an emptyDir, nothing else writable.
        server.SecurityContext.ReadOnlyRootFilesystem.ShouldBe(true);
        var volumes = pod.Spec.Volumes.ToDictionary(v => v.Name);
        server.VolumeMounts.ToDictionary(m => m.MountPath, m => m.Name).ShouldBe(new Dictionary<string, string> { ["/data"] = "data", ["/tmp"] = "tmp" });
        volumes["data"].PersistentVolumeClaim.ClaimName.ShouldBe("remolt-data");
        volumes["tmp"].EmptyDir.ShouldNotBeNull();
        var claim = ManifestsFixture.Named<V1PersistentVolumeClaim>(objects, "remolt-data");
        claim.Spec.AccessModes.ShouldBe(["ReadWriteOnce"]);
        claim.Spec.Resources.Requests["storage"].ToString().ShouldBe("5Gi");

        var service = ManifestsFixture.Named<V1Service>(objects, "remolt-server");
        service.Spec.Type.ShouldBe("ClusterIP");
        service.Spec.Selector.ShouldBe(deployment.Spec.Selector.MatchLabels);
        service.Spec.Ports.Select(p => (p.Name, p.Port, p.TargetPort.Value)).ShouldBe([("http", 80, "http"), ("apps", 8081, "apps")]);
    }

    private IReadOnlyList<object>[] Renderings => [manifests.Root, manifests.Base, manifests.Example];

    private static string[] Kinds(IEnumerable<object> objects) =>
        [.. objects.OfType<IKubernetesObject<V1ObjectMeta>>().Select(o => o.Kind + "/" + o.Metadata.Name).Order(StringComparer.Ordinal)];

    // The probes name Host: localhost, since the app answers 421 to the pod IP the kubelet would send.
    private static void Probe(V1Probe probe, string path)
    {
        probe.ShouldNotBeNull();
        probe.HttpGet.Path.ShouldBe(path);
        probe.HttpGet.Port.Value.ShouldBe("http");
        probe.HttpGet.HttpHeaders.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            h => h.Name.ShouldBe("Host"),
            h => h.Value.ShouldBe("localhost"));
    }

    private static string SettingName<TOptions>(string property) =>
        typeof(TOptions).GetProperty(property)!.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name;
}
