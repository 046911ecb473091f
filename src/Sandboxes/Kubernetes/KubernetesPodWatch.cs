using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// One pod's changes from a resourceVersion on, as a watch on its name; when the server ends the watch (its own
/// timeout) it is renewed from the last version seen, until the caller stops or its token ends.
/// </summary>
internal static class KubernetesPodWatch
{
    public static async IAsyncEnumerable<(WatchEventType Type, V1Pod Pod)> ChangesAsync(
        KubernetesApiCalls calls, string name, string? resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var events = calls.Client.CoreV1.WatchListNamespacedPodAsync(
                calls.Namespace, fieldSelector: $"metadata.name={name}", resourceVersion: resourceVersion, timeoutSeconds: 300, cancellationToken: cancellationToken);
            await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
            while (await calls.RunAsync("watch pods", _ => enumerator.MoveNextAsync().AsTask(), cancellationToken))
            {
                var change = enumerator.Current;
                resourceVersion = change.Item2?.Metadata?.ResourceVersion ?? resourceVersion;
                yield return change;
            }
        }
    }
}
