using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// What a new object looks like once the API server (and, for some kinds, a controller that would run at once) has
/// filled it in: a pod Pending, a namespace Active with its name label, a claim Bound, a service with a cluster IP,
/// a deployment with no replica available (the fake runs no controllers).
/// </summary>
internal static class FakeInitialStatus
{
    private static int s_nextServiceIp = 10;

    /// <summary>The status to store (null: keep the body's), after filling in defaults of <paramref name="body"/> in place.</summary>
    public static JsonNode? Of(FakeResourceKind kind, JsonObject body)
    {
        if (kind == FakeResourceKind.Pods)
        {
            return new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
        }

        if (kind == FakeResourceKind.Namespaces)
        {
            var metadata = body["metadata"]!.AsObject();
            var labels = metadata["labels"] as JsonObject ?? [];
            labels["kubernetes.io/metadata.name"] = metadata["name"]!.GetValue<string>();
            metadata["labels"] = labels;
            return new JsonObject { ["phase"] = "Active" };
        }

        if (kind == FakeResourceKind.PersistentVolumeClaims)
        {
            return new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = body["spec"]?["accessModes"]?.DeepClone(),
                ["capacity"] = new JsonObject { ["storage"] = body["spec"]?["resources"]?["requests"]?["storage"]?.DeepClone() },
            };
        }

        if (kind == FakeResourceKind.Services && body["spec"] is JsonObject spec && spec["clusterIP"] is null)
        {
            var ip = $"10.96.0.{Interlocked.Increment(ref s_nextServiceIp) % 250}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
            spec["type"] ??= "ClusterIP";
            return new JsonObject { ["loadBalancer"] = new JsonObject() };
        }

        if (kind == FakeResourceKind.Deployments)
        {
            var replicas = body["spec"]?["replicas"]?.GetValue<int>() ?? 1;
            return new JsonObject
            {
                ["observedGeneration"] = 1,
                ["replicas"] = replicas,
                ["unavailableReplicas"] = replicas,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Available",
                    ["status"] = "False",
                    ["reason"] = "MinimumReplicasUnavailable",
                    ["message"] = "Deployment does not have minimum availability.",
                }),
            };
        }

        return null;
    }
}
