using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// One pod's changes from a resourceVersion on, as a watch on its name; when the server ends the watch (its own
/// timeout) it is renewed from the last version seen, until the caller stops or its token ends. The server is told to
/// end each watch after <c>limit</c> too: KubernetesClient does not close the HTTP stream when its enumeration is
/// cancelled or left (seen with the fake: the watch stayed open until the server ended it), so this bounds how long
/// an abandoned watch holds a connection on both sides.
/// </summary>
internal static class KubernetesPodWatch
{
    public static async IAsyncEnumerable<(WatchEventType Type, V1Pod Pod)> ChangesAsync(
        KubernetesApiCalls calls, string name, string? resourceVersion, TimeSpan limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var events = calls.Client.CoreV1.WatchListNamespacedPodAsync(
                calls.Namespace, fieldSelector: $"metadata.name={name}", resourceVersion: resourceVersion, timeoutSeconds: Math.Max(1, (int)Math.Ceiling(limit.TotalSeconds)), cancellationToken: cancellationToken);
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
