using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Kubernetes;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The runtime's API calls against the fake with pods that run at once (no Docker): the pod it creates, listing and
/// removing, persistent workspaces, the warm claim's relabel, the NetworkPolicy, probes, credentials and failures.
/// </summary>
public sealed class KubernetesRuntimeApiTests : IAsyncLifetime
{
    private FakeApiServer _api = null!;

    public async Task InitializeAsync() => _api = await FakeApiServer.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Create_makes_a_restricted_pod_with_safe_labels_and_the_raw_values_in_annotations()
    {
        using var runtime = KubernetesTestRuntime.Create(_api, maxLifetime: TimeSpan.FromHours(2));
        var spec = KubernetesTestRuntime.Spec("Odd_Session-ID_", "remolt-sandbox:test", owner: "-alice@example.com") with
        {
            Env = new Dictionary<string, string> { ["GIT_USER_NAME"] = "Alice" },
            Resources = new RemoltBlazor.Sandboxes.Agents.AgentResources { Limits = new Dictionary<string, string> { ["memory"] = "4Gi" } },
        };

        var handle = await runtime.CreateAsync(spec, CancellationToken.None);

        KubernetesNames.IsValidName(handle.SandboxId).ShouldBeTrue(handle.SandboxId);
        var pod = await Client().CoreV1.ReadNamespacedPodAsync(handle.SandboxId, FakeApiServer.Namespace);
        pod.Metadata.Labels.ShouldContainKeyAndValue(SandboxLabels.Managed, "true");
        pod.Metadata.Labels.ShouldContainKeyAndValue("app.kubernetes.io/name", "remolt-sandbox");
        pod.Metadata.Labels.ShouldContainKeyAndValue("app.kubernetes.io/managed-by", "remolt-server");
        pod.Metadata.Labels.Values.ShouldAllBe(value => KubernetesNames.IsValidLabelValue(value));
        pod.Metadata.Annotations.ShouldContainKeyAndValue("remolt.dev/session-id", "Odd_Session-ID_");
        pod.Metadata.Annotations.ShouldContainKeyAndValue("remolt.dev/owner", "-alice@example.com");
        pod.Metadata.Annotations.ShouldContainKeyAndValue("remolt.dev/instance", "test-instance");

        var podSpec = pod.Spec;
        podSpec.AutomountServiceAccountToken.ShouldBe(false);
        podSpec.EnableServiceLinks.ShouldBe(false);
        podSpec.RestartPolicy.ShouldBe("Never");
        podSpec.Hostname.ShouldBe("sandbox");
        podSpec.ActiveDeadlineSeconds.ShouldBe((long)TimeSpan.FromHours(2).TotalSeconds + 300);
        podSpec.SecurityContext.RunAsNonRoot.ShouldBe(true);
        podSpec.SecurityContext.RunAsUser.ShouldBe(1000);
        podSpec.SecurityContext.SeccompProfile.Type.ShouldBe("RuntimeDefault");
        var container = podSpec.Containers.ShouldHaveSingleItem();
        container.Name.ShouldBe("sandbox");
        container.Command.ShouldBe(["/usr/bin/tini", "--", "/usr/local/bin/remolt-entrypoint"]);
        container.SecurityContext.AllowPrivilegeEscalation.ShouldBe(false);
        container.SecurityContext.Capabilities.Drop.ShouldBe(["ALL"]);
        container.Env.ShouldContain(e => e.Name == "REMOLT_NETWORK_GUARD" && e.Value == "cluster");
        container.Env.ShouldContain(e => e.Name == "GIT_USER_NAME" && e.Value == "Alice");
        container.Env.ShouldContain(e => e.Name == "TERM");
        container.Resources.Limits["memory"].ToString().ShouldBe("4Gi");
        container.Resources.Limits["cpu"].ToString().ShouldBe("2");
        container.Resources.Requests["cpu"].ToString().ShouldBe("250m");
        podSpec.Volumes.ShouldHaveSingleItem().EmptyDir.SizeLimit.ToString().ShouldBe("10Gi");
        container.VolumeMounts.ShouldHaveSingleItem().MountPath.ShouldBe("/home/dev/workspace");

        var listed = (await runtime.ListManagedAsync(CancellationToken.None)).ShouldHaveSingleItem();
        listed.ShouldBe(new SandboxInfo(handle.SandboxId, "Odd_Session-ID_", "-alice@example.com", "shell", true) { InstanceId = "test-instance" });

        await runtime.RemoveAsync(handle.SandboxId, CancellationToken.None);
        await runtime.RemoveAsync(handle.SandboxId, CancellationToken.None); // Missing is fine.
        await Poll.UntilAsync(async () => (await runtime.ListManagedAsync(CancellationToken.None)).Count == 0, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_warm_pods_lifetime_starts_at_its_claim_and_the_claim_relabels_it()
    {
        using var runtime = KubernetesTestRuntime.Create(_api, maxLifetime: TimeSpan.FromHours(1));
        var warm = new SandboxSpec("warm-0123456789ab", "", "shell", "remolt-sandbox:test", new Dictionary<string, string> { ["REMOLT_WARM"] = "1" })
        {
            InstanceId = "test-instance",
        };
        var handle = await runtime.CreateAsync(warm, CancellationToken.None);
        (await Client().CoreV1.ReadNamespacedPodAsync(handle.SandboxId, FakeApiServer.Namespace)).Spec.ActiveDeadlineSeconds.ShouldBeNull();

        await runtime.AssignAsync(handle.SandboxId, KubernetesTestRuntime.Spec("sess-claimed", "remolt-sandbox:test", owner: "bob"), CancellationToken.None);

        var pod = await Client().CoreV1.ReadNamespacedPodAsync(handle.SandboxId, FakeApiServer.Namespace);
        pod.Metadata.Labels.ShouldContainKeyAndValue(SandboxLabels.SessionId, "sess-claimed");
        pod.Metadata.Labels.ShouldContainKeyAndValue(SandboxLabels.Owner, "bob");
        pod.Spec.ActiveDeadlineSeconds.ShouldNotBeNull().ShouldBeInRange(3600 + 300, 3600 + 300 + 60);
        var listed = (await runtime.ListManagedAsync(CancellationToken.None)).ShouldHaveSingleItem();
        (listed.SessionId, listed.Owner).ShouldBe(("sess-claimed", "bob"));

        await Should.ThrowAsync<SandboxNotFoundException>(() => runtime.AssignAsync("remolt-nothing", warm, CancellationToken.None));
    }

    [Fact]
    public async Task Persistent_workspaces_get_a_claim_each_that_goes_with_the_pod_and_pod_settings_apply()
    {
        using var runtime = KubernetesTestRuntime.Create(_api, o =>
        {
            o.PersistentWorkspaces = true;
            o.WorkspaceSize = "3Gi";
            o.StorageClass = "fast";
            o.RuntimeClass = "gvisor";
            o.ImagePullPolicy = "Always";
        });
        var handle = await runtime.CreateAsync(KubernetesTestRuntime.Spec("sess-pvc", "remolt-sandbox:test"), CancellationToken.None);

        var claimName = KubernetesNames.ClaimName(handle.SandboxId);
        claimName.ShouldStartWith("remolt-ws-");
        var claim = await Client().CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claimName, FakeApiServer.Namespace);
        claim.Spec.Resources.Requests["storage"].ToString().ShouldBe("3Gi");
        claim.Spec.StorageClassName.ShouldBe("fast");
        claim.Metadata.Labels.ShouldContainKeyAndValue(SandboxLabels.Managed, "true");
        var pod = await Client().CoreV1.ReadNamespacedPodAsync(handle.SandboxId, FakeApiServer.Namespace);
        pod.Spec.Volumes.ShouldHaveSingleItem().PersistentVolumeClaim.ClaimName.ShouldBe(claimName);
        pod.Spec.RuntimeClassName.ShouldBe("gvisor");
        pod.Spec.Containers[0].ImagePullPolicy.ShouldBe("Always");

        await runtime.RemoveAsync(handle.SandboxId, CancellationToken.None);
        var missing = await Should.ThrowAsync<k8s.Autorest.HttpOperationException>(
            () => Client().CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claimName, FakeApiServer.Namespace));
        missing.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_pod_that_never_gets_ready_times_out_saying_what_it_waited_for_and_is_removed()
    {
        await using var manual = await FakeApiServer.StartAsync(new FakeApiServerOptions { Pods = FakePodBackend.Manual });
        using var runtime = KubernetesTestRuntime.Create(manual, o => o.PodStartTimeoutSeconds = 2);

        var error = await Should.ThrowAsync<SandboxRuntimeException>(
            () => runtime.CreateAsync(KubernetesTestRuntime.Spec("sess-slow", "remolt-sandbox:test"), CancellationToken.None));

        error.Message.ShouldContain("was not ready within 2 s");
        error.Message.ShouldContain("REMOLT_K8S_POD_START_TIMEOUT");
        await Poll.UntilAsync(async () => (await runtime.ListManagedAsync(CancellationToken.None)).Count == 0, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_network_policy_isolates_sandboxes_and_is_replaced_when_it_exists()
    {
        using var runtime = KubernetesTestRuntime.Create(_api, o => o.ServerSelector = "app=remolt-server,tier=web");
        var installer = new KubernetesNetworkPolicyInstaller(runtime, Microsoft.Extensions.Options.Options.Create(KubernetesTestRuntime.Options(_api, o => o.ServerSelector = "app=remolt-server,tier=web")),
            NullLogger<KubernetesNetworkPolicyInstaller>.Instance);

        await installer.ApplyAsync(CancellationToken.None);
        await installer.ApplyAsync(CancellationToken.None);

        var policy = await Client().NetworkingV1.ReadNamespacedNetworkPolicyAsync("remolt-sandbox-isolation", FakeApiServer.Namespace);
        policy.Spec.PodSelector.MatchLabels.ShouldBe(new Dictionary<string, string> { ["remolt.managed"] = "true" });
        policy.Spec.PolicyTypes.ShouldBe(["Ingress", "Egress"]);
        policy.Spec.Ingress.ShouldHaveSingleItem().FromProperty.ShouldHaveSingleItem().PodSelector.MatchLabels
            .ShouldBe(new Dictionary<string, string> { ["app"] = "remolt-server", ["tier"] = "web" });
        var dns = policy.Spec.Egress[0];
        dns.Ports.Select(p => (p.Protocol, p.Port.Value)).ShouldBe([("UDP", "53"), ("TCP", "53")]);
        var internet = policy.Spec.Egress[1].To.ShouldHaveSingleItem().IpBlock;
        internet.Cidr.ShouldBe("0.0.0.0/0");
        internet.Except.ShouldBe(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"]);
    }

    [Fact]
    public async Task The_probe_names_the_cluster_and_namespace_and_a_refused_token_says_so()
    {
        using var runtime = KubernetesTestRuntime.Create(_api);
        var probe = await runtime.ProbeAsync(CancellationToken.None);
        probe.Available.ShouldBeTrue(probe.Detail);
        probe.Detail.ShouldStartWith("Kubernetes v");
        probe.Detail.ShouldContain($"at {_api.Url.ToString().TrimEnd('/')}");
        probe.Detail.ShouldEndWith("namespace remolt");
        runtime.Name.ShouldBe("k8s");

        var token = _api.IssueToken();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"remolt-kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(kubeconfig, _api.Kubeconfig(token));
        try
        {
            using var revoked = KubernetesTestRuntime.Create(_api, o => o.Kubeconfig = kubeconfig);
            _api.RevokeToken(token);
            var refused = await revoked.ProbeAsync(CancellationToken.None);
            refused.Available.ShouldBeFalse();
            refused.Detail.ShouldContain("refused the server's credentials (401");
            refused.Remedy.ShouldNotBeNull().Text.ShouldContain("k8s/base/role.yaml"); // what the launch page tells the operator
            probe.Remedy.ShouldBeNull();
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task In_cluster_the_token_file_is_read_again_for_every_request()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"remolt-sa-{Guid.NewGuid():N}");
        var first = _api.WriteServiceAccountFolder(folder);
        try
        {
            var options = new KubernetesOptions { ServiceAccountFolder = folder, ServiceHost = "127.0.0.1", ServicePort = _api.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            KubernetesClientFactory.IsInCluster(options).ShouldBeTrue();
            using var runtime = new KubernetesRuntime(Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new RemoltBlazor.Sandboxes.Sessions.SessionOptions()),
                TimeProvider.System, NullLoggerFactory.Instance);
            runtime.Namespace.ShouldBe(FakeApiServer.Namespace);
            (await runtime.ProbeAsync(CancellationToken.None)).Available.ShouldBeTrue();

            // The kubelet rotates the token: the old one stops working at once here, the file holds the new one.
            _api.WriteServiceAccountFolder(folder);
            _api.RevokeToken(first);
            var probe = await runtime.ProbeAsync(CancellationToken.None);
            probe.Available.ShouldBeTrue(probe.Detail);
            (await runtime.ListManagedAsync(CancellationToken.None)).ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_api_server_that_does_not_answer_makes_the_runtime_unavailable()
    {
        await using var gone = await FakeApiServer.StartAsync();
        using var runtime = KubernetesTestRuntime.Create(gone);
        await gone.DisposeAsync();

        await Should.ThrowAsync<SandboxRuntimeUnavailableException>(
            () => runtime.CreateAsync(KubernetesTestRuntime.Spec("sess-gone", "remolt-sandbox:test"), CancellationToken.None));
        await Should.ThrowAsync<SandboxRuntimeUnavailableException>(() => runtime.ListManagedAsync(CancellationToken.None));
        (await runtime.ProbeAsync(CancellationToken.None)).Available.ShouldBeFalse();
    }

    [Fact]
    public async Task A_missing_permission_names_the_verb_and_the_policy_installer_keeps_going()
    {
        using var runtime = KubernetesTestRuntime.Create(_api, config => new k8s.Kubernetes(config, new Forbidding()));

        var error = await Should.ThrowAsync<SandboxRuntimeException>(
            () => runtime.CreateAsync(KubernetesTestRuntime.Spec("sess-rbac", "remolt-sandbox:test"), CancellationToken.None));

        error.ShouldNotBeOfType<SandboxRuntimeUnavailableException>();
        error.Message.ShouldStartWith("The server may not create pods in namespace remolt (403: pods is forbidden: User \"system:serviceaccount:remolt:remolt-server\"");
        error.Message.ShouldContain("k8s/rbac.yaml");
        var installer = new KubernetesNetworkPolicyInstaller(runtime, Microsoft.Extensions.Options.Options.Create(KubernetesTestRuntime.Options(_api)),
            NullLogger<KubernetesNetworkPolicyInstaller>.Instance);
        await installer.StartAsync(CancellationToken.None);
        (await Should.ThrowAsync<SandboxRuntimeException>(() => installer.ApplyAsync(CancellationToken.None))).Message.ShouldContain("may not create networkpolicies");
    }

    private IKubernetes Client() => new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_api.KubeconfigPath));

    /// <summary>An API server whose RBAC lets the server read but not create (what a Role without "create" does).</summary>
    private sealed class Forbidding : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Post)
            {
                return base.SendAsync(request, cancellationToken);
            }

            var resource = request.RequestUri!.AbsolutePath.Split('/')[^1];
            var status = $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{resource}} is forbidden: User \"system:serviceaccount:remolt:remolt-server\" cannot create resource \"{{resource}}\" in API group \"\" in the namespace \"remolt\"","reason":"Forbidden","details":{"kind":"{{resource}}"},"code":403}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden)
            {
                Content = new StringContent(status, System.Text.Encoding.UTF8, "application/json"),
                RequestMessage = request,
            });
        }
    }
}
