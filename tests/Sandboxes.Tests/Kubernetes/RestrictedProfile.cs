using k8s.Models;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The Pod Security Standard "restricted" (kubernetes.io/docs/concepts/security/pod-security-standards) as far as a
/// pod template in the manifests can break it: what the API server's admission would refuse in the namespace.
/// </summary>
internal static class RestrictedProfile
{
    public static IReadOnlyList<string> Violations(V1PodSpec pod)
    {
        var problems = new List<string>();
        if (pod.HostNetwork == true || pod.HostPID == true || pod.HostIPC == true)
        {
            problems.Add("host namespaces");
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            if (volume.HostPath is not null)
            {
                problems.Add($"hostPath volume {volume.Name}");
            }
        }

        foreach (var container in (pod.InitContainers ?? []).Concat(pod.Containers))
        {
            var own = container.SecurityContext;
            // runAsNonRoot and seccomp may be set on the pod or the container (the container's wins).
            if ((own?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot) != true)
            {
                problems.Add($"{container.Name}: runAsNonRoot != true");
            }

            if ((own?.RunAsUser ?? pod.SecurityContext?.RunAsUser) is not > 0)
            {
                problems.Add($"{container.Name}: no numeric non-zero runAsUser");
            }

            if ((own?.SeccompProfile ?? pod.SecurityContext?.SeccompProfile)?.Type is not ("RuntimeDefault" or "Localhost"))
            {
                problems.Add($"{container.Name}: seccompProfile not RuntimeDefault or Localhost");
            }

            if (own?.AllowPrivilegeEscalation != false)
            {
                problems.Add($"{container.Name}: allowPrivilegeEscalation != false");
            }

            if (own?.Privileged == true)
            {
                problems.Add($"{container.Name}: privileged");
            }

            if (own?.Capabilities?.Drop?.Contains("ALL") != true)
            {
                problems.Add($"{container.Name}: capabilities do not drop ALL");
            }

            if (own?.Capabilities?.Add?.Any(c => c != "NET_BIND_SERVICE") == true)
            {
                problems.Add($"{container.Name}: adds capabilities");
            }

            if (container.Ports?.Any(p => p.HostPort is > 0) == true)
            {
                problems.Add($"{container.Name}: hostPort");
            }
        }

        return problems;
    }
}
