using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Kubernetes runtime settings, bound from the root configuration (environment variables) like DockerOptions. The
/// client itself comes from the service-account folder in a pod, or from a kubeconfig (its current context) outside.
/// </summary>
public sealed class KubernetesOptions
{
    public const string DefaultServiceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string FallbackNamespace = "remolt";

    /// <summary><c>auto</c> (in-cluster when the service-account token exists, else Docker), <c>docker</c> or <c>kubernetes</c>.</summary>
    [ConfigurationKeyName("REMOLT_RUNTIME")]
    public string Runtime { get; set; } = "auto";

    /// <summary>The namespace sandboxes live in; empty: the service-account namespace file, else "remolt".</summary>
    [ConfigurationKeyName("REMOLT_NAMESPACE")]
    public string? Namespace { get; set; }

    /// <summary>Out of cluster: the kubeconfig file (default <c>~/.kube/config</c>).</summary>
    [ConfigurationKeyName("KUBECONFIG")]
    public string? Kubeconfig { get; set; }

    /// <summary>In cluster: where the kubelet projects the token, <c>ca.crt</c> and <c>namespace</c> (tests point it elsewhere).</summary>
    [ConfigurationKeyName("REMOLT_K8S_SERVICE_ACCOUNT_FOLDER")]
    public string ServiceAccountFolder { get; set; } = DefaultServiceAccountFolder;

    /// <summary>In cluster: the API server's address comes from these two, as for every in-cluster client.</summary>
    [ConfigurationKeyName("KUBERNETES_SERVICE_HOST")]
    public string? ServiceHost { get; set; }

    [ConfigurationKeyName("KUBERNETES_SERVICE_PORT")]
    public string? ServicePort { get; set; }

    /// <summary>False: an emptyDir workspace (gone with the pod); true: a PersistentVolumeClaim per session.</summary>
    [ConfigurationKeyName("REMOLT_K8S_PERSISTENT_WORKSPACES")]
    public bool PersistentWorkspaces { get; set; }

    /// <summary>The emptyDir's size limit or the claim's request (a Kubernetes quantity).</summary>
    [ConfigurationKeyName("REMOLT_K8S_WORKSPACE_SIZE")]
    public string WorkspaceSize { get; set; } = "10Gi";

    /// <summary>The claims' storage class; empty: the cluster's default.</summary>
    [ConfigurationKeyName("REMOLT_K8S_STORAGE_CLASS")]
    public string? StorageClass { get; set; }

    [ConfigurationKeyName("REMOLT_K8S_POD_START_TIMEOUT")]
    public int PodStartTimeoutSeconds { get; set; } = 180;

    /// <summary>The server's pods (the NetworkPolicy's only allowed ingress), as <c>key=value[,key=value]</c>.</summary>
    [ConfigurationKeyName("REMOLT_K8S_SERVER_SELECTOR")]
    public string ServerSelector { get; set; } = "app.kubernetes.io/name=remolt-server";

    [ConfigurationKeyName("REMOLT_K8S_IMAGE_PULL_POLICY")]
    public string ImagePullPolicy { get; set; } = "IfNotPresent";

    /// <summary>An optional RuntimeClass for the pods (e.g. gvisor).</summary>
    [ConfigurationKeyName("REMOLT_K8S_RUNTIME_CLASS")]
    public string? RuntimeClass { get; set; }

    public TimeSpan PodStartTimeout => TimeSpan.FromSeconds(PodStartTimeoutSeconds);

    public string ServiceAccountTokenPath => Path.Combine(ServiceAccountFolder, "token");

    /// <summary>The selector's pairs; entries without '=' are skipped (the validator names them).</summary>
    internal IReadOnlyDictionary<string, string> ServerSelectorLabels() =>
        ServerSelector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length == 2 && parts[0].Length > 0)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
}
