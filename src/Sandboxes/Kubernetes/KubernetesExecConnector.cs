using System.Net.WebSockets;
using k8s.Autorest;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Opens exec WebSockets to the <c>sandbox</c> container of a pod. KubernetesClient's
/// <c>WebSocketNamespacedPodExecAsync</c> offers one subprotocol, so v5 (Kubernetes 1.30+: stdin can be closed) is
/// offered first and v4 after a refusal; once refused, v5 is not offered again. The command goes in the URL, so it
/// must never hold a secret (secrets go over stdin, see SecretFile).
/// </summary>
internal sealed class KubernetesExecConnector(KubernetesApiCalls calls)
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";
    public const string ContainerName = "sandbox";

    private volatile bool _v5Refused;

    public KubernetesApiCalls Calls => calls;

    /// <summary>The subprotocol the next exec offers first.</summary>
    public string Preferred => _v5Refused ? V4 : V5;

    public Task<KubernetesExecChannel> ConnectAsync(string pod, IReadOnlyList<string> command, bool tty, bool stdin, CancellationToken cancellationToken) =>
        ConnectAsync(pod, _ => command, tty, stdin, cancellationToken);

    /// <param name="commandFor">The command for the protocol being offered (a v4 exec may need another one).</param>
    public async Task<KubernetesExecChannel> ConnectAsync(
        string pod, Func<string, IReadOnlyList<string>> commandFor, bool tty, bool stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (!_v5Refused)
            {
                try
                {
                    return await OpenAsync(pod, commandFor(V5), tty, stdin, V5, cancellationToken);
                }
                catch (HttpOperationException)
                {
                    // Refused before the command started. KubernetesClient asks again with a plain GET for the reason,
                    // without the token (so 401 whatever the cause), which cannot tell a server before 1.30 refusing
                    // v5 (a 400 or 403 from its handshake) from anything else. The pod read below is authenticated:
                    // it throws for bad credentials, and a missing or stopped pod is reported as such.
                    if (await calls.IsMissingOrStoppedAsync(pod, cancellationToken))
                    {
                        throw;
                    }

                    _v5Refused = true;
                }
            }

            return await OpenAsync(pod, commandFor(V4), tty, stdin, V4, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpOperationException or WebSocketException or HttpRequestException)
        {
            throw await calls.ExecFailureAsync(pod, ex, cancellationToken);
        }
    }

    private async Task<KubernetesExecChannel> OpenAsync(
        string pod, IReadOnlyList<string> command, bool tty, bool stdin, string protocol, CancellationToken cancellationToken)
    {
        var socket = await calls.Client.WebSocketNamespacedPodExecAsync(
            pod, calls.Namespace, command, ContainerName, !tty, stdin, true, tty, protocol, null, cancellationToken);
        if (socket.SubProtocol is { Length: > 0 } chosen && chosen != V5 && chosen != V4)
        {
            socket.Abort();
            socket.Dispose();
            throw new WebSocketException($"The API server chose exec protocol '{chosen}', which this client does not speak.");
        }

        if (protocol == V5 && socket.SubProtocol != V5)
        {
            // Accepted, but without v5: the server speaks an older protocol; talk v4 from now on.
            _v5Refused = true;
        }

        return new KubernetesExecChannel(socket, pod);
    }
}
