using System.Text.RegularExpressions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The RBAC permissions the Kubernetes runtime needs, read from its source (src/Sandboxes/Kubernetes): every
/// KubernetesClient call it makes, as <c>group/resource</c> and verb. k8s/base/role.yaml must grant exactly these, so
/// a new call without its permission (or a permission no call needs) fails a test instead of a cluster.
/// </summary>
internal static partial class RuntimeApiCalls
{
    // The client's operation names: {Verb}Namespaced{Kind}Async, and WatchList for list?watch=true.
    private static readonly Dictionary<string, string> s_verbs = new(StringComparer.Ordinal)
    {
        ["Create"] = "create", ["Read"] = "get", ["List"] = "list", ["WatchList"] = "watch",
        ["Delete"] = "delete", ["Patch"] = "patch", ["Replace"] = "update",
    };

    private static readonly Dictionary<string, string> s_resources = new(StringComparer.Ordinal)
    {
        ["Pod"] = "pods", ["PersistentVolumeClaim"] = "persistentvolumeclaims", ["NetworkPolicy"] = "networkpolicies",
        ["PodLog"] = "pods/log", ["PodStatus"] = "pods/status",
    };

    private static readonly Dictionary<string, string> s_groups = new(StringComparer.Ordinal) { ["CoreV1"] = "", ["NetworkingV1"] = "networking.k8s.io" };

    /// <summary>"group/resource" to the space-separated sorted verbs, e.g. <c>/pods/exec</c> to <c>create get</c>.</summary>
    public static Dictionary<string, string> Permissions()
    {
        var folder = Path.Combine(SandboxImage.FindRepoRoot(), "src", "Sandboxes", "Kubernetes");
        var permissions = new List<(string Resource, string Verb)>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs"))
        {
            var code = File.ReadAllText(file);
            foreach (Match call in Operation().Matches(code))
            {
                var group = s_groups.GetValueOrDefault(call.Groups["group"].Value)
                    ?? throw new InvalidOperationException($"{file}: unknown API group {call.Value}: add it to {nameof(RuntimeApiCalls)}.");
                var resource = s_resources.GetValueOrDefault(call.Groups["kind"].Value)
                    ?? throw new InvalidOperationException($"{file}: unknown resource in {call.Value}: add it to {nameof(RuntimeApiCalls)}.");
                permissions.Add((group + "/" + resource, s_verbs[call.Groups["verb"].Value]));
            }

            // Exec over a WebSocket is a GET upgraded: clusters before 1.30's websocket authorization check "get",
            // later ones "create" (the verb of a POSTed exec).
            if (code.Contains("WebSocketNamespacedPodExecAsync(", StringComparison.Ordinal))
            {
                permissions.Add(("/pods/exec", "create"));
                permissions.Add(("/pods/exec", "get"));
            }

            if (code.Contains("PortForward", StringComparison.Ordinal))
            {
                permissions.Add(("/pods/portforward", "create"));
                permissions.Add(("/pods/portforward", "get"));
            }
        }

        return permissions.GroupBy(p => p.Resource, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => string.Join(' ', g.Select(p => p.Verb).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\b(?<group>CoreV1|NetworkingV1|AppsV1|RbacAuthorizationV1)\.(?<verb>WatchList|Create|Read|List|Delete|Patch|Replace)Namespaced(?<kind>[A-Za-z]+?)Async\b")]
    private static partial Regex Operation();
}
