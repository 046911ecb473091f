using k8s;
using k8s.Models;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Waits for a created pod to be Running and Ready by watching it (<see cref="KubernetesPodWatch"/> from the create's
/// resourceVersion; no polling), and says why it is not in words a user understands:
/// an image the nodes cannot pull, no node with room, a failed start, or what it was still waiting for at the timeout.
/// </summary>
internal static class KubernetesPodStartup
{
    private static readonly string[] s_pullFailures = ["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"];

    public static async Task WaitReadyAsync(KubernetesApiCalls calls, V1Pod created, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var name = created.Metadata.Name;
        var state = Evaluate(created);
        if (state.Ready)
        {
            return;
        }

        if (state.Failure is { } failure)
        {
            throw failure;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var waitingFor = state.WaitingFor;
        try
        {
            await foreach (var (type, pod) in KubernetesPodWatch.ChangesAsync(calls, name, created.Metadata.ResourceVersion, deadline.Token))
            {
                if (type == WatchEventType.Deleted)
                {
                    throw new SandboxRuntimeException($"The sandbox pod {name} was deleted while it started.");
                }

                state = Evaluate(pod);
                if (state.Ready)
                {
                    return;
                }

                if (state.Failure is { } failed)
                {
                    throw failed;
                }

                waitingFor = state.WaitingFor;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SandboxRuntimeException(
                $"The sandbox pod {name} was not ready within {timeout.TotalSeconds:0} s: {waitingFor}. " +
                "A cold image pull can take longer: raise REMOLT_K8S_POD_START_TIMEOUT, or pre-pull the image on the nodes.");
        }
    }

    /// <summary>What the pod's status says: ready, failed (the exception to throw), or what it still waits for.</summary>
    internal static (bool Ready, SandboxRuntimeException? Failure, string WaitingFor) Evaluate(V1Pod pod)
    {
        var name = pod.Metadata?.Name;
        var status = pod.Status;
        var sandbox = status?.ContainerStatuses?.FirstOrDefault(c => c.Name == KubernetesExecConnector.ContainerName)
                      ?? status?.ContainerStatuses?.FirstOrDefault();
        var image = pod.Spec?.Containers?.FirstOrDefault()?.Image ?? "?";
        if (sandbox?.State?.Waiting is { Reason: { } reason } waiting && s_pullFailures.Contains(reason))
        {
            return (false, new SandboxRuntimeException(
                $"The cluster cannot pull the sandbox image '{image}': {waiting.Message ?? reason}. Push it to a registry the nodes can reach " +
                "or set REMOLT_SANDBOX_IMAGE (or the agent's REMOLT_<AGENT>_IMAGE) to an image they can pull."), reason);
        }

        var scheduled = status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is { Status: "False", Reason: "Unschedulable" })
        {
            return (false, new SandboxRuntimeException(
                $"No node has room for the sandbox ({scheduled.Message}): free capacity in the cluster, add a node, or lower the agent's resource requests."),
                "a node");
        }

        switch (status?.Phase)
        {
            case "Failed" or "Succeeded":
                var terminated = sandbox?.State?.Terminated;
                var why = terminated is null ? status.Reason ?? status.Phase : $"{terminated.Reason ?? "exited"} with code {terminated.ExitCode}";
                var message = status.Message ?? terminated?.Message;
                return (false, new SandboxRuntimeException(
                    $"The sandbox pod {name} stopped before it was ready: {why}{(message is null ? "" : $" ({message})")}."), why);
            case "Running" when status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true:
                return (true, null, "");
        }

        var waitingFor = scheduled?.Status != "True" ? "it was not scheduled on a node yet"
            : sandbox?.State?.Waiting is { Reason: { } pending } ? $"its container was still {pending}{(sandbox.State.Waiting.Message is { } m ? $" ({m})" : "")}"
            : $"it was {status?.Phase ?? "Pending"} and not Ready";
        return (false, null, waitingFor);
    }
}
