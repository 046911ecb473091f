using System.Globalization;
using System.Text.Json.Nodes;
using Docker.DotNet.Models;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// A pod's (first) container as the parameters of a Docker container, as a kubelet with a container runtime would
/// run it: command/args as entrypoint/cmd, env, the securityContext's user, capabilities and no-new-privileges, the
/// limits, a tmpfs for each emptyDir mount and a host folder for each claim (both owned by root, group fsGroup,
/// setgid and writable as the kubelet leaves a volume with fsGroup; fsGroup is also a supplementary group), no
/// network, and spec.hostname or else the pod's name as hostname.
/// </summary>
internal static class FakeDockerContainerSpec
{
    public static CreateContainerParameters Parameters(JsonObject pod, string containerName, string serverId, Func<string, string, string> claimFolder)
    {
        var container = FakePodContainers.All(pod)[0];
        var ns = pod["metadata"]!["namespace"]!.GetValue<string>();
        var podName = pod["metadata"]!["name"]!.GetValue<string>();
        var security = container["securityContext"];
        var memory = FakePodContainers.Limit(container, "memory");
        var cpu = FakePodContainers.Limit(container, "cpu");
        return new CreateContainerParameters
        {
            Name = containerName,
            Image = container["image"]!.GetValue<string>(),
            Entrypoint = Strings(container["command"]),
            Cmd = Strings(container["args"]),
            Env = (container["env"] as JsonArray ?? []).Where(entry => entry?["value"] is not null)
                .Select(entry => entry!["name"]!.GetValue<string>() + "=" + entry["value"]!.ToString()).ToList(),
            WorkingDir = container["workingDir"]?.GetValue<string>() ?? "",
            User = FakePodContainers.User(pod, container) ?? "",
            Hostname = pod["spec"]?["hostname"]?.GetValue<string>() ?? podName,
            Tty = container["tty"]?.GetValue<bool>() ?? false,
            OpenStdin = container["stdin"]?.GetValue<bool>() ?? false,
            Labels = new Dictionary<string, string>
            {
                [FakeDockerEngine.Label] = serverId,
                [FakeDockerEngine.Label + ".pod"] = ns + "/" + podName,
            },
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                CapDrop = Strings(security?["capabilities"]?["drop"]) ?? [],
                CapAdd = Strings(security?["capabilities"]?["add"]) ?? [],
                SecurityOpt = security?["allowPrivilegeEscalation"]?.GetValue<bool>() == false ? ["no-new-privileges"] : [],
                ReadonlyRootfs = security?["readOnlyRootFilesystem"]?.GetValue<bool>() ?? false,
                Memory = memory is { } bytes ? (long)bytes : 0,
                NanoCPUs = cpu is { } cores ? (long)(cores * 1_000_000_000m) : 0,
                Tmpfs = EmptyDirs(pod, container),
                Binds = Claims(pod, container, ns, claimFolder),
                GroupAdd = FsGroup(pod) is { } fsGroup ? [fsGroup] : [],
            },
        };
    }

    public static string? FsGroup(JsonObject pod) => pod["spec"]?["securityContext"]?["fsGroup"]?.ToString();

    // An emptyDir is world-writable (0777) like the kubelet's, setgid and of group fsGroup when one is set; exec is allowed, as on a node's disk.
    private static Dictionary<string, string> EmptyDirs(JsonObject pod, JsonObject container)
    {
        var ownership = FsGroup(pod) is { } fsGroup ? $"mode=2777,gid={fsGroup}" : "mode=0777";
        var volumes = (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(volume => volume["emptyDir"] is not null)
            .ToDictionary(volume => volume["name"]!.GetValue<string>(), volume => volume["emptyDir"]!["sizeLimit"]?.ToString());
        var mounts = new Dictionary<string, string>();
        foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (volumes.TryGetValue(mount["name"]!.GetValue<string>(), out var sizeLimit))
            {
                var size = sizeLimit is null ? "" : ",size=" + ((long)FakeQuantity.Parse(sizeLimit)).ToString(CultureInfo.InvariantCulture);
                mounts[mount["mountPath"]!.GetValue<string>()] = "rw,exec," + ownership + size;
            }
        }

        return mounts;
    }

    private static List<string> Claims(JsonObject pod, JsonObject container, string ns, Func<string, string, string> claimFolder)
    {
        var claims = (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(volume => volume["persistentVolumeClaim"]?["claimName"] is not null)
            .ToDictionary(volume => volume["name"]!.GetValue<string>(), volume => volume["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        return (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(mount => claims.ContainsKey(mount["name"]!.GetValue<string>()))
            .Select(mount => claimFolder(ns, claims[mount["name"]!.GetValue<string>()]) + ":" + mount["mountPath"]!.GetValue<string>())
            .ToList();
    }

    private static List<string>? Strings(JsonNode? array) =>
        array is JsonArray items ? items.Select(item => item?.ToString() ?? "").ToList() : null;
}
