using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Deleting pods and claims: a missing one is fine, a pod is waited for (by watch) until it is gone, so its name and
/// its claim are free when this returns, and a failed create's cleanup runs on its own timeout, not the caller's token.
/// </summary>
internal sealed class KubernetesPodDeletion(KubernetesApiCalls calls, ILogger logger)
{
    /// <summary>What the original gave a sandbox to stop (tini passes SIGTERM on at once).</summary>
    public const int GraceSeconds = 5;

    private static readonly TimeSpan s_cleanupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_goneWait = TimeSpan.FromSeconds(30);

    public async Task DeletePodAsync(string pod, int graceSeconds, CancellationToken cancellationToken)
    {
        await DeleteIfPresentAsync("delete pods", token =>
            calls.Client.CoreV1.DeleteNamespacedPodAsync(pod, calls.Namespace, gracePeriodSeconds: graceSeconds, cancellationToken: token), cancellationToken);
        await WaitGoneAsync(pod, cancellationToken);
    }

    public Task DeleteClaimAsync(string claim, CancellationToken cancellationToken) =>
        DeleteIfPresentAsync("delete persistentvolumeclaims", token =>
            calls.Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(claim, calls.Namespace, cancellationToken: token), cancellationToken);

    /// <summary>Removes what a failed create made (either may be null); failures are logged for the reconciler.</summary>
    public async Task CleanUpFailedCreateAsync(string? pod, string? claim)
    {
        // Not the caller's token: a cancelled create must still leave nothing behind.
        using var timeout = new CancellationTokenSource(s_cleanupTimeout);
        try
        {
            if (pod is not null)
            {
                await DeletePodAsync(pod, 0, timeout.Token);
            }

            if (claim is not null)
            {
                await DeleteClaimAsync(claim, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is SandboxRuntimeException or OperationCanceledException)
        {
            logger.LogError(ex, "Cleaning up after a failed create of pod {Pod} failed; the reconciler will retry", pod ?? claim);
        }
    }

    /// <summary>Watches a deleted pod until it is gone; past the limit it is left to the cluster (and the reconciler).</summary>
    private async Task WaitGoneAsync(string pod, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(s_goneWait);
        try
        {
            if (await calls.ReadPodAsync(pod, limit.Token) is not { } current)
            {
                return;
            }

            await foreach (var (type, _) in KubernetesPodWatch.ChangesAsync(calls, pod, current.Metadata.ResourceVersion, limit.Token))
            {
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Pod {Pod} was still terminating {Seconds} s after its deletion", pod, s_goneWait.TotalSeconds);
        }
    }

    private Task DeleteIfPresentAsync(string action, Func<CancellationToken, Task> delete, CancellationToken cancellationToken) =>
        calls.RunAsync(action, async token =>
        {
            try
            {
                await delete(token);
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone.
            }
        }, cancellationToken);
}
