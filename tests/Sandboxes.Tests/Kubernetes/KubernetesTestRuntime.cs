using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using RemoltBlazor.Sandboxes.Kubernetes;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>The Kubernetes runtime pointed at a fake API server (over https with its bearer token, via its kubeconfig).</summary>
internal static class KubernetesTestRuntime
{
    public static KubernetesOptions Options(FakeApiServer api, Action<KubernetesOptions>? configure = null)
    {
        var options = new KubernetesOptions
        {
            Runtime = "kubernetes",
            Kubeconfig = api.KubeconfigPath,
            // Not a pod: never the machine's own service-account folder.
            ServiceAccountFolder = Path.Combine(Path.GetTempPath(), "remolt-no-service-account"),
            PodStartTimeoutSeconds = 60,
        };
        configure?.Invoke(options);
        return options;
    }

    public static KubernetesRuntime Create(FakeApiServer api, Action<KubernetesOptions>? configure = null, TimeSpan? maxLifetime = null) =>
        Create(Options(api, configure), maxLifetime);

    public static KubernetesRuntime Create(KubernetesOptions options, TimeSpan? maxLifetime = null) =>
        new(KubernetesClientFactory.Create(options), options, maxLifetime, TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>With a client of the test's own (to replace its WebSocket builder, say).</summary>
    public static KubernetesRuntime Create(FakeApiServer api, Func<KubernetesClientConfiguration, k8s.Kubernetes> client)
    {
        var options = Options(api);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(api.KubeconfigPath);
        var kubernetes = client(config);
        return new(((IKubernetes)kubernetes, FakeApiServer.Namespace, config.Host), options, null, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public static string NewSessionId() => $"k-{Guid.NewGuid():N}"[..14];

    public static SandboxSpec Spec(string sessionId, string image, string owner = "alice", IReadOnlyDictionary<string, string>? env = null) =>
        new(sessionId, owner, "shell", image, env ?? new Dictionary<string, string>()) { InstanceId = "test-instance" };
}
