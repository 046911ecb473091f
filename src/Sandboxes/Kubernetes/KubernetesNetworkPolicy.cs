using k8s.Models;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// The sandboxes' NetworkPolicy, <c>remolt-sandbox-isolation</c>: every managed pod takes ingress only from the
/// server's pods (nothing from other sandboxes), and egress only to DNS (UDP and TCP 53, any namespace) and to the
/// internet minus the private ranges, CGNAT and the link-local metadata address. k8s/networkpolicy.yaml is the same
/// object for clusters where the server may not write policies (a test compares the two).
/// </summary>
public static class KubernetesNetworkPolicy
{
    public const string Name = "remolt-sandbox-isolation";

    public static readonly IReadOnlyList<string> BlockedRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"];

    /// <summary>The policy for REMOLT_NAMESPACE (or "remolt"): what k8s/networkpolicy.yaml must equal.</summary>
    public static V1NetworkPolicy Build(KubernetesOptions options) =>
        Build(options, options.Namespace is { Length: > 0 } ns ? ns : KubernetesOptions.FallbackNamespace);

    public static V1NetworkPolicy Build(KubernetesOptions options, string @namespace) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            NamespaceProperty = @namespace,
            Labels = new Dictionary<string, string>
            {
                [KubernetesPodSpec.ManagedByLabel] = KubernetesPodSpec.ManagedBy,
            },
        },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [SandboxLabels.Managed] = "true" } },
            PolicyTypes = ["Ingress", "Egress"],
            Ingress =
            [
                new V1NetworkPolicyIngressRule
                {
                    FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(options.ServerSelectorLabels()) } }],
                },
            ],
            Egress =
            [
                new V1NetworkPolicyEgressRule
                {
                    To = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector() }],
                    Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
                },
                new V1NetworkPolicyEgressRule
                {
                    To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = [.. BlockedRanges] } }],
                },
            ],
        },
    };
}
