namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>A namespaced resource type the fake API server stores: its URL plural, kind and API version.</summary>
public sealed record FakeResourceKind(string Plural, string Kind, string ApiVersion, string ShortName)
{
    public static readonly FakeResourceKind Pods = new("pods", "Pod", "v1", "po");
    public static readonly FakeResourceKind PersistentVolumeClaims = new("persistentvolumeclaims", "PersistentVolumeClaim", "v1", "pvc");
    public static readonly FakeResourceKind NetworkPolicies = new("networkpolicies", "NetworkPolicy", "networking.k8s.io/v1", "netpol");

    public static readonly IReadOnlyList<FakeResourceKind> All = [Pods, PersistentVolumeClaims, NetworkPolicies];

    public string ListKind => Kind + "List";

    /// <summary>Whether PUT and PATCH leave <c>status</c> alone (it has its own subresource).</summary>
    public bool HasStatus => this == Pods || this == PersistentVolumeClaims;

    /// <summary>How the real server names the resource in messages: <c>.networking.k8s.io</c> after the plural, nothing for the core group.</summary>
    public string GroupSuffix => ApiVersion.Contains('/', StringComparison.Ordinal) ? "." + ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    /// <summary>The URL prefix of the group version: <c>/api/v1</c> for the core group, <c>/apis/{group}/{version}</c> otherwise.</summary>
    public string GroupVersionPath => ApiVersion.Contains('/', StringComparison.Ordinal) ? "/apis/" + ApiVersion : "/api/" + ApiVersion;
}
