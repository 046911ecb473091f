using System.Globalization;
using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// Pod statuses shaped like the kubelet's and the scheduler's: what a runtime reads to decide that a pod is up, or to
/// tell a user why it is not (an image that cannot be pulled, no node with room).
/// </summary>
public static class FakePodStatuses
{
    /// <summary>Scheduled, started and Ready (phase Running, all four conditions True).</summary>
    public static void Running(JsonObject pod)
    {
        var now = Now();
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", "True", now),
                Condition("Initialized", "True", now),
                Condition("Ready", "True", now),
                Condition("ContainersReady", "True", now),
                Condition("PodScheduled", "True", now)),
            ["hostIP"] = "10.0.0.10",
            ["podIP"] = "10.244.0.17",
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.244.0.17" }),
            ["startTime"] = now,
            ["qosClass"] = "BestEffort",
            ["containerStatuses"] = ContainerStatuses(pod, container => new JsonObject
            {
                ["ready"] = true,
                ["started"] = true,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                ["imageID"] = $"docker.io/library/{container["image"]?.GetValue<string>()}@sha256:{new string('0', 64)}",
                ["containerID"] = "containerd://" + Guid.NewGuid().ToString("N"),
            }),
        };
    }

    /// <summary>Scheduled, but the first container's image cannot be pulled: phase Pending, waiting with reason ImagePullBackOff.</summary>
    public static void ImagePullBackOff(JsonObject pod)
    {
        var now = Now();
        pod["status"] = new JsonObject
        {
            ["phase"] = "Pending",
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", "True", now),
                Condition("Initialized", "True", now),
                Condition("Ready", "False", now, "ContainersNotReady", "containers with unready status: [" + string.Join(' ', ContainerNames(pod)) + "]"),
                Condition("ContainersReady", "False", now, "ContainersNotReady", "containers with unready status: [" + string.Join(' ', ContainerNames(pod)) + "]"),
                Condition("PodScheduled", "True", now)),
            ["hostIP"] = "10.0.0.10",
            ["startTime"] = now,
            ["qosClass"] = "BestEffort",
            ["containerStatuses"] = ContainerStatuses(pod, container => new JsonObject
            {
                ["ready"] = false,
                ["started"] = false,
                ["state"] = new JsonObject
                {
                    ["waiting"] = new JsonObject
                    {
                        ["reason"] = "ImagePullBackOff",
                        ["message"] = $"Back-off pulling image \"{container["image"]?.GetValue<string>()}\"",
                    },
                },
                ["imageID"] = "",
            }),
        };
    }

    /// <summary>Not scheduled: phase Pending, condition PodScheduled False with reason Unschedulable and the scheduler's message.</summary>
    public static void Unschedulable(JsonObject pod, string message = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
    {
        pod["status"] = new JsonObject
        {
            ["phase"] = "Pending",
            ["conditions"] = new JsonArray(Condition("PodScheduled", "False", Now(), "Unschedulable", message)),
            ["qosClass"] = "BestEffort",
        };
    }

    private static JsonObject Condition(string type, string status, string now, string? reason = null, string? message = null)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status, ["lastProbeTime"] = null, ["lastTransitionTime"] = now };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }

    private static IEnumerable<string> ContainerNames(JsonObject pod) =>
        (pod["spec"]?["containers"] as JsonArray ?? []).Select(container => container?["name"]?.GetValue<string>() ?? "");

    private static JsonArray ContainerStatuses(JsonObject pod, Func<JsonNode, JsonObject> state)
    {
        var statuses = new JsonArray();
        foreach (var container in pod["spec"]?["containers"] as JsonArray ?? [])
        {
            var status = state(container!);
            status["name"] = container!["name"]?.GetValue<string>();
            status["image"] = container["image"]?.GetValue<string>();
            status["restartCount"] = 0;
            statuses.Add(status);
        }

        return statuses;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
