using System.Security.Cryptography.X509Certificates;
using k8s;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Builds the KubernetesClient connection: in cluster from the service-account folder (token re-read per request,
/// <c>ca.crt</c>, <c>namespace</c>) and <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, or from a kubeconfig's current
/// context (token or client certificate, CA) outside.
/// </summary>
internal static class KubernetesClientFactory
{
    /// <summary>Whether this process runs in a pod with a service-account token (what REMOLT_RUNTIME=auto looks for).</summary>
    public static bool IsInCluster(KubernetesOptions options) => File.Exists(options.ServiceAccountTokenPath);

    public static (IKubernetes Client, string Namespace, string Where) Create(KubernetesOptions options)
    {
        var config = IsInCluster(options) ? InCluster(options) : FromKubeconfig(options);
        var ns = Namespace(options);
        return (new k8s.Kubernetes(config), ns, config.Host);
    }

    /// <summary>REMOLT_NAMESPACE, else the service-account namespace file, else "remolt".</summary>
    public static string Namespace(KubernetesOptions options)
    {
        if (options.Namespace is { Length: > 0 } configured)
        {
            return configured;
        }

        var file = Path.Combine(options.ServiceAccountFolder, "namespace");
        return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } fromFile ? fromFile : KubernetesOptions.FallbackNamespace;
    }

    private static KubernetesClientConfiguration InCluster(KubernetesOptions options)
    {
        if (string.IsNullOrEmpty(options.ServiceHost) || string.IsNullOrEmpty(options.ServicePort))
        {
            throw new InvalidOperationException(
                $"A service-account token is at {options.ServiceAccountTokenPath} but KUBERNETES_SERVICE_HOST or KUBERNETES_SERVICE_PORT is not set: " +
                "is this really a pod? Set REMOLT_RUNTIME=docker to use Docker instead.");
        }

        var host = options.ServiceHost.Contains(':', StringComparison.Ordinal) ? $"[{options.ServiceHost}]" : options.ServiceHost;
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(Path.Combine(options.ServiceAccountFolder, "ca.crt"));
        return new KubernetesClientConfiguration
        {
            Host = $"https://{host}:{options.ServicePort}",
            SslCaCerts = certificates,
            TokenProvider = new ServiceAccountTokenProvider(options.ServiceAccountTokenPath),
        };
    }

    private static KubernetesClientConfiguration FromKubeconfig(KubernetesOptions options)
    {
        var path = options.Kubeconfig is { Length: > 0 } configured
            ? configured.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0]
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"REMOLT_RUNTIME=kubernetes outside a cluster needs a kubeconfig, and {path} does not exist: set KUBECONFIG to one.");
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
    }
}
