using System.Text.Json.Nodes;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary><c>kubectl apply -k</c> of a small app (the kinds a deployment of the server needs), applied twice, then read back with kubectl get.</summary>
public sealed class FakeApiServerApplyTests : FakeApiServerTestBase
{
    [Fact]
    public async Task Kubectl_apply_k_creates_every_object_and_a_second_apply_changes_nothing()
    {
        var folder = WriteKustomization();
        var first = await Cli.RunAsync(TimeSpan.FromSeconds(60), Server.KubeconfigPath, "apply", "-k", folder);
        first.ExitCode.ShouldBe(0, first.ToString());
        foreach (var created in new[]
        {
            "namespace/demo created", "serviceaccount/demo-server created", "role.rbac.authorization.k8s.io/demo-server created",
            "rolebinding.rbac.authorization.k8s.io/demo-server created", "configmap/demo-settings created", "service/demo-server created",
            "persistentvolumeclaim/demo-data created", "deployment.apps/demo-server created", "networkpolicy.networking.k8s.io/demo-sandboxes created",
            "ingress.networking.k8s.io/demo-server created",
        })
        {
            first.Output.ShouldContain(created, customMessage: first.ToString());
        }

        foreach (var kind in new[] { "serviceaccount", "role", "rolebinding", "configmap", "service", "pvc", "deployment", "networkpolicy", "ingress" })
        {
            var got = await Cli.RunAsync("get", kind, "-n", "demo", "-o", "json");
            got.ExitCode.ShouldBe(0, got.ToString());
            JsonNode.Parse(got.Output)!["items"]!.AsArray().Count.ShouldBe(1, got.ToString());
        }

        (await Cli.RunAsync("get", "namespace", "demo", "-o", "jsonpath={.status.phase}")).Output.ShouldBe("Active");
        (await Cli.RunAsync("get", "deployment", "demo-server", "-n", "demo", "-o", "jsonpath={.spec.template.spec.serviceAccountName}")).Output.ShouldBe("demo-server");

        var second = await Cli.RunAsync(TimeSpan.FromSeconds(60), Server.KubeconfigPath, "apply", "-k", folder);
        second.ExitCode.ShouldBe(0, second.ToString());
        second.Output.ShouldContain("deployment.apps/demo-server unchanged", customMessage: second.ToString());
        second.Output.ShouldNotContain(" created", customMessage: second.ToString());
        second.Output.ShouldNotContain(" configured", customMessage: second.ToString());

        // A changed manifest is patched in place.
        File.WriteAllText(Path.Combine(folder, "configmap.yaml"), ConfigMap("changed"));
        var third = await Cli.RunAsync(TimeSpan.FromSeconds(60), Server.KubeconfigPath, "apply", "-k", folder);
        third.ExitCode.ShouldBe(0, third.ToString());
        third.Output.ShouldContain("configmap/demo-settings configured", customMessage: third.ToString());
        (await Cli.RunAsync("get", "configmap", "demo-settings", "-n", "demo", "-o", "jsonpath={.data.mode}")).Output.ShouldBe("changed");
    }

    private string WriteKustomization()
    {
        var folder = Path.GetDirectoryName(Cli.WriteFile("app/kustomization.yaml", """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namespace: demo
            resources: [namespace.yaml, rbac.yaml, configmap.yaml, app.yaml]

            """))!;
        Cli.WriteFile("app/namespace.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: demo
              labels:
                pod-security.kubernetes.io/enforce: restricted

            """);
        Cli.WriteFile("app/rbac.yaml", """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: demo-server}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: demo-server}
            rules:
            - apiGroups: [""]
              resources: [pods, pods/exec, pods/log, persistentvolumeclaims]
              verbs: [create, get, list, watch, delete, patch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: demo-server}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: demo-server}
            subjects: [{kind: ServiceAccount, name: demo-server}]

            """);
        Cli.WriteFile("app/configmap.yaml", ConfigMap("first"));
        Cli.WriteFile("app/app.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: demo-server}
            spec:
              selector: {app.kubernetes.io/name: demo-server}
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: demo-data}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: demo-server}
            spec:
              replicas: 1
              selector: {matchLabels: {app.kubernetes.io/name: demo-server}}
              template:
                metadata: {labels: {app.kubernetes.io/name: demo-server}}
                spec:
                  serviceAccountName: demo-server
                  containers:
                  - name: server
                    image: remolt-server:latest
                    ports: [{containerPort: 8080}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: demo-sandboxes}
            spec:
              podSelector: {matchLabels: {remolt.managed: "true"}}
              policyTypes: [Ingress, Egress]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: demo-server}
            spec:
              rules:
              - host: demo.example.com
                http:
                  paths: [{path: /, pathType: Prefix, backend: {service: {name: demo-server, port: {name: http}}}}]

            """);
        return folder;
    }

    private static string ConfigMap(string mode) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: demo-settings
        data:
          mode: {mode}

        """;
}
