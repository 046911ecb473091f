using k8s.Models;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// The sandbox pod and its workspace claim. The pod passes Pod Security "restricted": a numeric non-root user,
/// seccomp RuntimeDefault, no privilege escalation, every capability dropped (so sudo inside does not work on a
/// cluster). tini is PID 1 so <c>sleep infinity</c> and orphaned processes are reaped and a delete ends it at once.
/// </summary>
public static class KubernetesPodSpec
{
    public const string WorkspacePath = "/home/dev/workspace";
    public const long SandboxUid = 1000;

    public const string AppNameLabel = "app.kubernetes.io/name";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string AppName = "remolt-sandbox";
    public const string ManagedBy = "remolt-server";

    public const string SessionAnnotation = "remolt.dev/session-id";
    public const string OwnerAnnotation = "remolt.dev/owner";
    public const string AgentAnnotation = "remolt.dev/agent";
    public const string InstanceAnnotation = "remolt.dev/instance";

    /// <summary>The reaper ends a session at its lifetime; the pod's own deadline is this much later, a backstop.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMinutes(5);

    private static readonly IReadOnlyDictionary<string, string> s_defaultRequests = new Dictionary<string, string> { ["cpu"] = "250m", ["memory"] = "512Mi" };
    private static readonly IReadOnlyDictionary<string, string> s_defaultLimits = new Dictionary<string, string> { ["cpu"] = "2", ["memory"] = "2Gi" };

    public static V1Pod Build(SandboxSpec spec, string podName, KubernetesOptions options, TimeSpan? maxLifetime)
    {
        var env = new Dictionary<string, string>(spec.Env, StringComparer.Ordinal);
        env.TryAdd("TERM", "xterm-256color");
        env["REMOLT_NETWORK_GUARD"] = "cluster";
        var warm = spec.Env.TryGetValue("REMOLT_WARM", out var flag) && flag == "1";
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = podName, Labels = Labels(spec), Annotations = Annotations(spec) },
            Spec = new V1PodSpec
            {
                Hostname = "sandbox",
                RestartPolicy = "Never",
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                RuntimeClassName = string.IsNullOrEmpty(options.RuntimeClass) ? null : options.RuntimeClass,
                // A warm pod's clock starts at its claim (KubernetesRuntime.AssignAsync adds the deadline then).
                ActiveDeadlineSeconds = maxLifetime is { } lifetime && !warm ? (long)(lifetime + DeadlineMargin).TotalSeconds : null,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = SandboxUid,
                    RunAsGroup = SandboxUid,
                    FsGroup = SandboxUid,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                Containers =
                [
                    new V1Container
                    {
                        Name = KubernetesExecConnector.ContainerName,
                        Image = spec.Image,
                        ImagePullPolicy = options.ImagePullPolicy,
                        Command = ["/usr/bin/tini", "--", "/usr/local/bin/remolt-entrypoint"],
                        Args = ["sleep", "infinity"],
                        // Execs start here: the image's WORKDIR (~/workspace) may be deleted by the user (as on Docker).
                        WorkingDir = "/home/dev",
                        Env = [.. env.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value })],
                        Resources = Resources(spec.Resources),
                        SecurityContext = new V1SecurityContext
                        {
                            AllowPrivilegeEscalation = false,
                            Capabilities = new V1Capabilities { Drop = ["ALL"] },
                            ReadOnlyRootFilesystem = false,
                        },
                        VolumeMounts = [new V1VolumeMount { Name = "workspace", MountPath = WorkspacePath }],
                    },
                ],
                Volumes =
                [
                    options.PersistentWorkspaces
                        ? new V1Volume { Name = "workspace", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = KubernetesNames.ClaimName(podName) } }
                        : new V1Volume { Name = "workspace", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(options.WorkspaceSize) } },
                ],
            },
        };
    }

    /// <summary>The per-session workspace claim (REMOLT_K8S_PERSISTENT_WORKSPACES), labelled like its pod.</summary>
    public static V1PersistentVolumeClaim Claim(SandboxSpec spec, string podName, KubernetesOptions options) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta { Name = KubernetesNames.ClaimName(podName), Labels = Labels(spec), Annotations = Annotations(spec) },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = string.IsNullOrEmpty(options.StorageClass) ? null : options.StorageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(options.WorkspaceSize) } },
        },
    };

    /// <summary>Label-safe values (see <see cref="KubernetesNames.LabelValue"/>); the raw ones are in <see cref="Annotations"/>.</summary>
    public static Dictionary<string, string> Labels(SandboxSpec spec)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SandboxLabels.Managed] = "true",
            [AppNameLabel] = AppName,
            [ManagedByLabel] = ManagedBy,
            [SandboxLabels.SessionId] = KubernetesNames.LabelValue(spec.SessionId),
            [SandboxLabels.Owner] = KubernetesNames.LabelValue(spec.Owner),
            [SandboxLabels.Agent] = KubernetesNames.LabelValue(spec.AgentId),
        };
        if (spec.InstanceId.Length > 0)
        {
            labels[SandboxLabels.Instance] = KubernetesNames.LabelValue(spec.InstanceId);
        }

        return labels;
    }

    public static Dictionary<string, string> Annotations(SandboxSpec spec)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SessionAnnotation] = spec.SessionId,
            [OwnerAnnotation] = spec.Owner,
            [AgentAnnotation] = spec.AgentId,
        };
        if (spec.InstanceId.Length > 0)
        {
            annotations[InstanceAnnotation] = spec.InstanceId;
        }

        return annotations;
    }

    /// <summary>agent.json's requests and limits over the defaults; a request above its limit is lowered to it.</summary>
    public static V1ResourceRequirements Resources(AgentResources? agent)
    {
        var limits = Merge(s_defaultLimits, agent?.Limits);
        var requests = Merge(s_defaultRequests, agent?.Requests);
        foreach (var (name, limit) in limits)
        {
            if (requests.TryGetValue(name, out var request) && request.ToDecimal() > limit.ToDecimal())
            {
                requests[name] = limit;
            }
        }

        return new V1ResourceRequirements { Requests = requests, Limits = limits };
    }

    private static Dictionary<string, ResourceQuantity> Merge(IReadOnlyDictionary<string, string> defaults, IReadOnlyDictionary<string, string>? overrides)
    {
        var merged = defaults.ToDictionary(e => e.Key, e => new ResourceQuantity(e.Value), StringComparer.Ordinal);
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            merged[name] = new ResourceQuantity(value);
        }

        return merged;
    }
}
