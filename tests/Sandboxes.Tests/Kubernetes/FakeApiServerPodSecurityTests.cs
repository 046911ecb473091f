using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>Pod Security admission (enforce label on the namespace) and namespace existence, as kubectl sees them.</summary>
public sealed class FakeApiServerPodSecurityTests : FakeApiServerTestBase
{
    [Fact]
    public async Task A_pod_without_a_security_context_is_refused_in_the_restricted_namespace_with_the_real_message()
    {
        var refused = await CreateAsync("root", "containers: [{name: main, image: busybox}]");
        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain(
            "pods \"root\" is forbidden: violates PodSecurity \"restricted:latest\": " +
            "allowPrivilegeEscalation != false (container \"main\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (container \"main\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
            "runAsNonRoot != true (pod or container \"main\" must set securityContext.runAsNonRoot=true), " +
            "seccompProfile (pod or container \"main\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            Case.Sensitive, refused.ToString());
        (await Cli.RunAsync("get", "pod", "root")).Error.ShouldContain("pods \"root\" not found");
    }

    [Fact]
    public async Task Root_users_host_paths_privilege_and_extra_capabilities_are_each_named()
    {
        var refused = await CreateAsync("bad", """
            securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
              hostNetwork: true
              volumes: [{name: host, hostPath: {path: /}}]
              containers:
              - name: main
                image: busybox
                securityContext: {allowPrivilegeEscalation: false, privileged: true, capabilities: {drop: [ALL], add: [SYS_ADMIN]}}
            """);
        refused.ExitCode.ShouldNotBe(0);
        // Baseline's checks first, then restricted's (the order real messages show); restricted's capability check replaces baseline's.
        refused.Error.ShouldContain(
            "pods \"bad\" is forbidden: violates PodSecurity \"restricted:latest\": " +
            "host namespaces (hostNetwork=true), hostPath volumes (volume \"host\"), " +
            "privileged (container \"main\" must not set securityContext.privileged=true), " +
            "unrestricted capabilities (container \"main\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add), " +
            "restricted volume types (volume \"host\" uses restricted volume type \"hostPath\"), " +
            "runAsUser=0 (pod must not set runAsUser=0)",
            Case.Sensitive, refused.ToString());
    }

    [Fact]
    public async Task A_compliant_pod_is_admitted_and_NET_BIND_SERVICE_may_be_added()
    {
        var admitted = await CreateAsync("ok", """
            securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
              volumes: [{name: work, emptyDir: {}}, {name: claim, persistentVolumeClaim: {claimName: c}}]
              containers:
              - name: main
                image: busybox
                securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}
            """);
        admitted.ExitCode.ShouldBe(0, admitted.ToString());
        admitted.Output.ShouldContain("pod/ok created");
    }

    [Fact]
    public async Task A_namespace_without_the_label_admits_any_pod_and_a_baseline_one_refuses_privileged()
    {
        var open = await CreateAsync("root", "containers: [{name: main, image: busybox}]", "default");
        open.ExitCode.ShouldBe(0, open.ToString());

        var ns = Cli.WriteFile("ns.yaml", $"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: base
              labels:
                {FakePodSecurity.EnforceLabel}: baseline

            """);
        (await Cli.RunAsync("create", "-f", ns, "--validate=false")).ExitCode.ShouldBe(0);
        var refused = await CreateAsync("priv", "containers: [{name: main, image: busybox, securityContext: {privileged: true}}]", "base");
        refused.Error.ShouldContain(
            "pods \"priv\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"main\" must not set securityContext.privileged=true)",
            Case.Sensitive, refused.ToString());
        (await CreateAsync("plain", "containers: [{name: main, image: busybox}]", "base")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task A_pod_in_a_namespace_that_does_not_exist_is_refused()
    {
        var refused = await CreateAsync("lost", "containers: [{name: main, image: busybox}]", "nowhere");
        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain("namespaces \"nowhere\" not found", customMessage: refused.ToString());
    }

    private Task<Kubectl.Result> CreateAsync(string name, string spec, string ns = FakeApiServer.Namespace)
    {
        var file = Cli.WriteFile(name + "-" + ns + ".yaml", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {name}
            spec:
              {spec}

            """);
        return Cli.RunAsync("create", "-f", file, "--validate=false", "--namespace=" + ns);
    }
}
