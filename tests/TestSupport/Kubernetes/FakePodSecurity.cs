using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// The Pod Security admission's enforce mode: a namespace labelled <c>pod-security.kubernetes.io/enforce</c>
/// baseline or restricted refuses a pod that breaks the level, with 403 and the real message (checks in the real
/// order, each with the containers that break it).
/// </summary>
public static class FakePodSecurity
{
    public const string EnforceLabel = "pod-security.kubernetes.io/enforce";

    private static readonly HashSet<string> s_restrictedVolumeTypes =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    // The capabilities a container runtime grants by default: baseline allows adding only these.
    private static readonly HashSet<string> s_baselineCapabilities =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    /// <exception cref="FakeApiException">403 Forbidden with every violation of the namespace's level.</exception>
    internal static void Admit(JsonObject ns, JsonObject pod)
    {
        var level = ns["metadata"]?["labels"]?[EnforceLabel]?.ToString();
        if (level is not ("baseline" or "restricted"))
        {
            return;
        }

        // Baseline's checks come first, then restricted's, each in the order of the real checks' ids; restricted's
        // capability check replaces baseline's (seen in real messages: hostPath volumes and restricted volume types both appear).
        var violations = Baseline(pod).OrderBy(violation => violation.Key, StringComparer.Ordinal)
            .Concat(level == "restricted" ? Restricted(pod).OrderBy(violation => violation.Key, StringComparer.Ordinal) : [])
            .Where(violation => violation.Value is not null)
            .Where(violation => level == "baseline" || violation.Key != "capabilities_baseline")
            .Select(violation => violation.Value)
            .ToList();
        if (violations.Count > 0)
        {
            var name = pod["metadata"]?["name"]?.ToString() ?? "";
            throw new FakeApiException(403, "Forbidden", $"pods \"{name}\" is forbidden: violates PodSecurity \"{level}:latest\": {string.Join(", ", violations)}", FakeResourceKind.Pods, name);
        }
    }

    // Each check is keyed by the real check's id, whose order the real message follows.
    private static IEnumerable<KeyValuePair<string, string?>> Baseline(JsonObject pod)
    {
        var spec = pod["spec"];
        var hostNamespaces = new[] { "hostNetwork", "hostPID", "hostIPC" }.Where(key => spec?[key]?.GetValue<bool>() == true).Select(key => key + "=true").ToList();
        yield return new("hostNamespaces", hostNamespaces.Count > 0 ? $"host namespaces ({string.Join(", ", hostNamespaces)})" : null);
        yield return new("privileged", Containers(pod, c => c["securityContext"]?["privileged"]?.GetValue<bool>() == true, "privileged", "must not set securityContext.privileged=true"));
        var added = Containers(pod).SelectMany(c => Strings(c["securityContext"]?["capabilities"]?["add"]).Where(cap => !s_baselineCapabilities.Contains(cap)).Select(cap => $"container \"{Name(c)}\" must not include \"{cap}\" in securityContext.capabilities.add")).ToList();
        yield return new("capabilities_baseline", added.Count > 0 ? $"non-default capabilities ({string.Join("; ", added)})" : null);
        var hostPaths = Volumes(pod).Where(v => v["hostPath"] is not null).Select(v => $"\"{v["name"]}\"").ToList();
        yield return new("hostPathVolumes", hostPaths.Count > 0 ? $"hostPath volumes ({(hostPaths.Count == 1 ? "volume" : "volumes")} {string.Join(", ", hostPaths)})" : null);
    }

    private static IEnumerable<KeyValuePair<string, string?>> Restricted(JsonObject pod)
    {
        yield return new("allowPrivilegeEscalation", Containers(pod, c => c["securityContext"]?["allowPrivilegeEscalation"]?.GetValue<bool>() != false,
            "allowPrivilegeEscalation != false", "must set securityContext.allowPrivilegeEscalation=false"));

        var capabilities = new List<string>();
        var noDrop = Containers(pod).Where(c => !Strings(c["securityContext"]?["capabilities"]?["drop"]).Contains("ALL")).ToList();
        if (noDrop.Count > 0)
        {
            capabilities.Add($"{Subject(noDrop)} must set securityContext.capabilities.drop=[\"ALL\"]");
        }

        capabilities.AddRange(Containers(pod).SelectMany(c => Strings(c["securityContext"]?["capabilities"]?["add"]).Where(cap => cap != "NET_BIND_SERVICE")
            .Select(cap => $"container \"{Name(c)}\" must not include \"{cap}\" in securityContext.capabilities.add")));
        yield return new("capabilities_restricted", capabilities.Count > 0 ? $"unrestricted capabilities ({string.Join("; ", capabilities)})" : null);

        var restrictedVolumes = Volumes(pod).Select(v => (Name: v["name"]?.ToString(), Type: v.Select(p => p.Key).FirstOrDefault(k => k != "name")))
            .Where(v => v.Type is not null && !s_restrictedVolumeTypes.Contains(v.Type)).ToList();
        yield return new("restrictedVolumes", restrictedVolumes.Count > 0
            ? $"restricted volume types ({string.Join(", ", restrictedVolumes.GroupBy(v => v.Type).Select(type => type.Count() == 1
                ? $"volume \"{type.First().Name}\" uses restricted volume type \"{type.Key}\""
                : $"volumes {string.Join(", ", type.Select(v => $"\"{v.Name}\""))} use restricted volume type \"{type.Key}\""))})"
            : null);

        var podSecurity = pod["spec"]?["securityContext"];
        var explicitRoot = Containers(pod).Where(c => c["securityContext"]?["runAsNonRoot"]?.GetValue<bool>() == false).ToList();
        var unset = podSecurity?["runAsNonRoot"]?.GetValue<bool>() == true ? [] : Containers(pod).Where(c => c["securityContext"]?["runAsNonRoot"] is null).ToList();
        var nonRoot = new List<string>();
        if (podSecurity?["runAsNonRoot"]?.GetValue<bool>() == false)
        {
            nonRoot.Add("pod must not set securityContext.runAsNonRoot=false");
        }

        nonRoot.AddRange(explicitRoot.Count > 0 ? [$"{Subject(explicitRoot)} must not set securityContext.runAsNonRoot=false"] : []);
        nonRoot.AddRange(unset.Count > 0 && podSecurity?["runAsNonRoot"]?.GetValue<bool>() != false ? [$"pod or {Subject(unset)} must set securityContext.runAsNonRoot=true"] : []);
        yield return new("runAsNonRoot", nonRoot.Count > 0 ? $"runAsNonRoot != true ({string.Join("; ", nonRoot)})" : null);

        var rootUsers = new List<string>();
        if (podSecurity?["runAsUser"]?.GetValue<long>() == 0)
        {
            rootUsers.Add("pod must not set runAsUser=0");
        }

        var rootContainers = Containers(pod).Where(c => c["securityContext"]?["runAsUser"]?.GetValue<long>() == 0).ToList();
        rootUsers.AddRange(rootContainers.Count > 0 ? [$"{Subject(rootContainers)} must not set runAsUser=0"] : []);
        yield return new("runAsUser", rootUsers.Count > 0 ? $"runAsUser=0 ({string.Join("; ", rootUsers)})" : null);

        static bool Allowed(JsonNode? context) => context?["seccompProfile"]?["type"]?.ToString() is "RuntimeDefault" or "Localhost";
        var podSeccomp = Allowed(podSecurity);
        var noSeccomp = Containers(pod).Where(c => !Allowed(c["securityContext"]) && (!podSeccomp || c["securityContext"]?["seccompProfile"] is not null)).ToList();
        yield return new("seccompProfile_restricted", noSeccomp.Count > 0
            ? $"seccompProfile (pod or {Subject(noSeccomp)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")"
            : null);
    }

    private static string? Containers(JsonObject pod, Func<JsonObject, bool> breaks, string check, string must)
    {
        var breaking = Containers(pod).Where(breaks).ToList();
        return breaking.Count > 0 ? $"{check} ({Subject(breaking)} {must})" : null;
    }

    private static List<JsonObject> Containers(JsonObject pod) =>
        (pod["spec"]?["initContainers"] as JsonArray ?? []).Concat(pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();

    private static IEnumerable<JsonObject> Volumes(JsonObject pod) => (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>();

    private static string Name(JsonObject container) => container["name"]?.ToString() ?? "";

    // "container "a"" or "containers "a", "b"", as the real messages name them.
    private static string Subject(List<JsonObject> containers) =>
        (containers.Count == 1 ? "container " : "containers ") + string.Join(", ", containers.Select(c => $"\"{Name(c)}\""));

    private static List<string> Strings(JsonNode? array) => (array as JsonArray ?? []).Select(item => item?.ToString() ?? "").ToList();
}
