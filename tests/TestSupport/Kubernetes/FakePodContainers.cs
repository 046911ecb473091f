using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>Reading a pod spec's containers as the API server and the kubelet do: which one a request means, its user, its requests.</summary>
internal static class FakePodContainers
{
    public static IReadOnlyList<JsonObject> All(JsonObject pod) =>
        (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();

    public static string Name(JsonObject container) => container["name"]?.GetValue<string>() ?? "";

    /// <summary>
    /// The container an exec or log request means (the only one when none is named), checked as the API server checks
    /// it, and for exec that it runs: 400 with the real server's messages otherwise.
    /// </summary>
    public static string Resolve(JsonObject pod, string? requested)
    {
        var podName = pod["metadata"]!["name"]!.GetValue<string>();
        var names = All(pod).Select(Name).ToList();
        if (string.IsNullOrEmpty(requested))
        {
            return names.Count == 1
                ? names[0]
                : throw new FakeApiException(400, "BadRequest", $"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', names)}]");
        }

        return names.Contains(requested)
            ? requested
            : throw new FakeApiException(400, "BadRequest", $"container {requested} is not valid for pod {podName}");
    }

    /// <summary><see cref="Resolve"/>, and the pod is scheduled and its container runs (what the kubelet checks before an exec).</summary>
    public static string Runnable(JsonObject pod, string? requested)
    {
        var container = Resolve(pod, requested);
        var podName = pod["metadata"]!["name"]!.GetValue<string>();
        if (string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>()))
        {
            throw new FakeApiException(400, "BadRequest", $"pod {podName} does not have a host assigned");
        }

        var running = (pod["status"]?["containerStatuses"] as JsonArray ?? [])
            .Any(status => status?["name"]?.GetValue<string>() == container && status["state"]?["running"] is not null);
        return running ? container : throw new FakeApiException(400, "BadRequest", $"container not found (\"{container}\")");
    }

    /// <summary>runAsUser[:runAsGroup], the container's securityContext over the pod's; null when neither sets a user.</summary>
    public static string? User(JsonObject pod, JsonObject container)
    {
        var user = Setting(pod, container, "runAsUser");
        var group = Setting(pod, container, "runAsGroup");
        return user is null ? null : group is null ? user : user + ":" + group;
    }

    /// <summary>A securityContext setting of the container, else of the pod.</summary>
    public static string? Setting(JsonObject pod, JsonObject container, string key) =>
        (container["securityContext"]?[key] ?? pod["spec"]?["securityContext"]?[key])?.ToString();

    /// <summary>The pod's cpu or memory request (a container's limit stands in for a missing request, as the API server defaults it).</summary>
    public static decimal Request(JsonObject pod, string resource) =>
        All(pod).Sum(container =>
            (container["resources"]?["requests"]?[resource] ?? container["resources"]?["limits"]?[resource])?.ToString() is { } quantity
                ? FakeQuantity.Parse(quantity)
                : 0m);

    public static decimal? Limit(JsonObject container, string resource) =>
        container["resources"]?["limits"]?[resource]?.ToString() is { } quantity ? FakeQuantity.Parse(quantity) : null;
}
