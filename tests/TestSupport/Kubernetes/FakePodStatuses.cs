using System.Globalization;
using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// Pod statuses shaped like the kubelet's and the scheduler's: what a runtime reads to decide that a pod is up, or to
/// tell a user why it is not (an image that cannot be pulled, no node with room).
/// </summary>
public static class FakePodStatuses
{
    /// <summary>The name of the fake's one node, which the scheduler writes into <c>spec.nodeName</c>.</summary>
    public const string NodeName = "fake-node";

    /// <summary>Scheduled, started and Ready (phase Running, all four conditions True).</summary>
    public static void Running(JsonObject pod) => Running(pod, Now(), "containerd://" + Guid.NewGuid().ToString("N"));

    /// <summary>Running since <paramref name="startedAt"/> in the container <paramref name="containerId"/> (<c>docker://...</c>).</summary>
    public static void Running(JsonObject pod, string startedAt, string containerId)
    {
        Schedule(pod);
        pod["status"] = Status(pod, "Running", ready: true, containers: container => new JsonObject
        {
            ["ready"] = true,
            ["started"] = true,
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = startedAt } },
            ["imageID"] = $"docker.io/library/{container["image"]?.GetValue<string>()}@sha256:{new string('0', 64)}",
            ["containerID"] = containerId,
        });
        pod["status"]!["podIP"] = "10.244.0.17";
        pod["status"]!["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.244.0.17" });
    }

    /// <summary>Scheduled, its container being created: phase Pending, waiting with reason ContainerCreating.</summary>
    public static void ContainerCreating(JsonObject pod)
    {
        Schedule(pod);
        pod["status"] = Status(pod, "Pending", ready: false, containers: _ => new JsonObject
        {
            ["ready"] = false,
            ["started"] = false,
            ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
            ["imageID"] = "",
        }, sandboxReady: false);
    }

    /// <summary>The container ended: phase Succeeded (exit 0) or Failed, its state terminated with the exit code.</summary>
    public static void Terminated(JsonObject pod, int exitCode, string startedAt, string finishedAt, string containerId)
    {
        pod["status"] = Status(pod, exitCode == 0 ? "Succeeded" : "Failed", ready: false, containers: container => new JsonObject
        {
            ["ready"] = false,
            ["started"] = false,
            ["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["exitCode"] = exitCode,
                    ["reason"] = exitCode == 0 ? "Completed" : "Error",
                    ["startedAt"] = startedAt,
                    ["finishedAt"] = finishedAt,
                    ["containerID"] = containerId,
                },
            },
            ["imageID"] = $"docker.io/library/{container["image"]?.GetValue<string>()}@sha256:{new string('0', 64)}",
            ["containerID"] = containerId,
        }, reason: exitCode == 0 ? "PodCompleted" : null);
    }

    /// <summary>Killed by the kubelet past <c>spec.activeDeadlineSeconds</c>: phase Failed, reason DeadlineExceeded.</summary>
    public static void DeadlineExceeded(JsonObject pod)
    {
        var status = pod["status"] as JsonObject ?? [];
        status["phase"] = "Failed";
        status["reason"] = "DeadlineExceeded";
        status["message"] = "Pod was active on the node longer than the specified deadline";
        pod["status"] = status;
    }

    /// <summary>Scheduled, but the first container's image cannot be pulled: phase Pending, waiting with reason ImagePullBackOff.</summary>
    public static void ImagePullBackOff(JsonObject pod)
    {
        Schedule(pod);
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
            ["qosClass"] = QosClass(pod),
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
            ["qosClass"] = QosClass(pod),
        };
    }

    private static void Schedule(JsonObject pod)
    {
        if (pod["spec"] is JsonObject spec)
        {
            spec["nodeName"] = NodeName;
        }
    }

    private static JsonObject Status(JsonObject pod, string phase, bool ready, Func<JsonNode, JsonObject> containers, string? reason = null, bool sandboxReady = true)
    {
        var now = Now();
        var unready = ready ? null : "containers with unready status: [" + string.Join(' ', ContainerNames(pod)) + "]";
        var readyStatus = ready ? "True" : "False";
        return new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", sandboxReady ? "True" : "False", now),
                Condition("Initialized", "True", now),
                Condition("Ready", readyStatus, now, reason ?? (ready ? null : "ContainersNotReady"), reason is null ? unready : null),
                Condition("ContainersReady", readyStatus, now, reason ?? (ready ? null : "ContainersNotReady"), reason is null ? unready : null),
                Condition("PodScheduled", "True", now)),
            ["hostIP"] = "10.0.0.10",

            // The kubelet sets startTime once, when it takes the pod; activeDeadlineSeconds counts from it.
            ["startTime"] = pod["status"]?["startTime"]?.GetValue<string>() ?? now,
            ["qosClass"] = QosClass(pod),
            ["containerStatuses"] = ContainerStatuses(pod, containers),
        };
    }

    // Guaranteed: every container limits cpu and memory and requests equal limits; BestEffort: nothing requested or limited.
    private static string QosClass(JsonObject pod)
    {
        var containers = FakePodContainers.All(pod);
        var resources = containers.Select(container => container["resources"]).ToList();
        if (resources.All(r => r?["requests"] is null or JsonObject { Count: 0 } && r?["limits"] is null or JsonObject { Count: 0 }))
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(container => new[] { "cpu", "memory" }.All(resource =>
            FakePodContainers.Limit(container, resource) is { } limit
            && (container["resources"]?["requests"]?[resource]?.ToString() is not { } request || FakeQuantity.Parse(request) == limit)));
        return guaranteed ? "Guaranteed" : "Burstable";
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
