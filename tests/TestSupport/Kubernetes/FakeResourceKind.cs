namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>A resource type the fake API server stores: its URL plural, kind, API version, short name and scope.</summary>
public sealed record FakeResourceKind(string Plural, string Kind, string ApiVersion, string? ShortName, bool Namespaced = true)
{
    public static readonly FakeResourceKind Namespaces = new("namespaces", "Namespace", "v1", "ns", Namespaced: false);
    public static readonly FakeResourceKind Pods = new("pods", "Pod", "v1", "po");
    public static readonly FakeResourceKind PersistentVolumeClaims = new("persistentvolumeclaims", "PersistentVolumeClaim", "v1", "pvc");
    public static readonly FakeResourceKind Services = new("services", "Service", "v1", "svc");
    public static readonly FakeResourceKind ServiceAccounts = new("serviceaccounts", "ServiceAccount", "v1", "sa");
    public static readonly FakeResourceKind ConfigMaps = new("configmaps", "ConfigMap", "v1", "cm");
    public static readonly FakeResourceKind Secrets = new("secrets", "Secret", "v1", null);
    public static readonly FakeResourceKind NetworkPolicies = new("networkpolicies", "NetworkPolicy", "networking.k8s.io/v1", "netpol");
    public static readonly FakeResourceKind Ingresses = new("ingresses", "Ingress", "networking.k8s.io/v1", "ing");
    public static readonly FakeResourceKind Deployments = new("deployments", "Deployment", "apps/v1", "deploy");
    public static readonly FakeResourceKind Roles = new("roles", "Role", "rbac.authorization.k8s.io/v1", null);
    public static readonly FakeResourceKind RoleBindings = new("rolebindings", "RoleBinding", "rbac.authorization.k8s.io/v1", null);

    public static readonly IReadOnlyList<FakeResourceKind> All =
        [Namespaces, Pods, PersistentVolumeClaims, Services, ServiceAccounts, ConfigMaps, Secrets, NetworkPolicies, Ingresses, Deployments, Roles, RoleBindings];

    public string ListKind => Kind + "List";

    /// <summary>Whether PUT and PATCH leave <c>status</c> alone (it has its own subresource).</summary>
    public bool HasStatus => this == Pods || this == PersistentVolumeClaims || this == Deployments || this == Services || this == Namespaces || this == Ingresses;

    /// <summary>The API group, empty for the core group.</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    /// <summary>How the real server names the resource in messages: <c>.networking.k8s.io</c> after the plural, nothing for the core group.</summary>
    public string GroupSuffix => Group.Length > 0 ? "." + Group : "";

    /// <summary>The URL prefix of the group version: <c>/api/v1</c> for the core group, <c>/apis/{group}/{version}</c> otherwise.</summary>
    public string GroupVersionPath => Group.Length > 0 ? "/apis/" + ApiVersion : "/api/" + ApiVersion;

    /// <summary>The collection's route: <c>{groupVersionPath}/namespaces/{ns}/{plural}</c>, or <c>{groupVersionPath}/{plural}</c> for a cluster-scoped kind.</summary>
    public string CollectionRoute => Namespaced ? GroupVersionPath + "/namespaces/{ns}/" + Plural : GroupVersionPath + "/" + Plural;
}
