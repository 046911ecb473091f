using System.Net.Http.Headers;
using k8s.Authentication;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// The in-cluster bearer token, read from the projected file for every request (REST and the exec WebSocket alike).
/// The kubelet rotates that file; KubernetesClient's own <c>TokenFileAuth</c> keeps a read for a minute, so a request
/// in that minute after a rotation would carry a token the API server may already refuse. Reading a small file per
/// request costs microseconds against a network round trip.
/// </summary>
internal sealed class ServiceAccountTokenProvider(string tokenPath) : ITokenProvider
{
    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        var token = (await File.ReadAllTextAsync(tokenPath, cancellationToken)).Trim();
        return new AuthenticationHeaderValue("Bearer", token);
    }
}
