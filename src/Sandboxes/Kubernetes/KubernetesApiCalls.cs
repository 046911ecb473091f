using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using k8s;
using k8s.Autorest;
using k8s.Models;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Runs API calls and turns their failures into the runtime's exceptions: an API server that does not answer is
/// <see cref="SandboxRuntimeUnavailableException"/> (503 / close 1013 above), 401 and 403 say which credential or RBAC
/// permission is missing, in words an operator can act on.
/// </summary>
internal sealed class KubernetesApiCalls(IKubernetes client, string @namespace)
{
    public IKubernetes Client => client;

    public string Namespace => @namespace;

    /// <param name="action">What the call does, as RBAC says it: "create pods", "list pods", "patch pods".</param>
    public async Task<T> RunAsync<T>(string action, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception ex) when (Translate(action, ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public Task RunAsync(string action, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync(action, async token =>
        {
            await call(token);
            return true;
        }, cancellationToken);

    /// <summary>The pod, or null when it does not exist.</summary>
    public Task<V1Pod?> ReadPodAsync(string pod, CancellationToken cancellationToken) =>
        RunAsync<V1Pod?>("get pods", async token =>
        {
            try
            {
                return await client.CoreV1.ReadNamespacedPodAsync(pod, @namespace, cancellationToken: token);
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);

    public async Task<bool> IsMissingOrStoppedAsync(string pod, CancellationToken cancellationToken) =>
        await ReadPodAsync(pod, cancellationToken) is not { Status.Phase: "Running" };

    /// <summary>Why an exec could not start: the pod is gone or not running, or the call itself failed.</summary>
    public async Task<SandboxRuntimeException> ExecFailureAsync(string pod, Exception failure, CancellationToken cancellationToken)
    {
        if (Translate("create pods/exec", failure, cancellationToken) is SandboxRuntimeUnavailableException unavailable)
        {
            return unavailable;
        }

        V1Pod? current;
        try
        {
            current = await ReadPodAsync(pod, cancellationToken);
        }
        catch (SandboxRuntimeException ex)
        {
            return ex;
        }

        return current switch
        {
            null => new SandboxNotFoundException($"Sandbox {pod} does not exist.", failure),
            { Status.Phase: not "Running" } => new SandboxRuntimeException($"Sandbox {pod} is not running (phase {current.Status?.Phase ?? "unknown"}).", failure),
            // The pod read worked, so the credentials are fine: a 401 here is the library's unauthenticated retry.
            _ when failure is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden } => Translate("create pods/exec", failure, cancellationToken)!,
            _ => new SandboxRuntimeException(
                $"The exec WebSocket to sandbox {pod} was refused ({failure.Message}): the API server, or a proxy in front of it, may not pass WebSocket upgrades.", failure),
        };
    }

    /// <summary>The server's own sentence from a Status body, else the HTTP reason.</summary>
    public static string ServerMessage(HttpOperationException ex) =>
        ex.Body is V1Status { Message: { Length: > 0 } message } ? message
        : ex.Response?.Content is { Length: > 0 } content ? StatusMessage(content) ?? content
        : ex.Message;

    /// <summary>The <c>message</c> of a Status body (REST errors carry it as text, not parsed).</summary>
    private static string? StatusMessage(string content)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(content);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                   && document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == System.Text.Json.JsonValueKind.String
                ? message.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private SandboxRuntimeException? Translate(string action, Exception ex, CancellationToken cancellationToken)
    {
        var where = client is k8s.Kubernetes concrete ? concrete.BaseUri.ToString().TrimEnd('/') : "the Kubernetes API";
        return ex switch
        {
            SandboxRuntimeException => null,
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            HttpOperationException { Response.StatusCode: HttpStatusCode.Unauthorized } http =>
                new SandboxRuntimeException(
                    $"The Kubernetes API at {where} refused the server's credentials (401: {ServerMessage(http)}): " +
                    "the service-account token or the kubeconfig's user is not valid (expired, revoked, or for another cluster).", ex),
            HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden } http when !IsAdmissionRefusal(http) =>
                new SandboxRuntimeException(
                    $"The server may not {action} in namespace {@namespace} (403: {ServerMessage(http)}): " +
                    $"grant the verb to its service account in the namespace's Role (see k8s/rbac.yaml).", ex),
            HttpOperationException { Response.StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.BadGateway } http =>
                new SandboxRuntimeUnavailableException($"The Kubernetes API at {where} is not available ({(int)http.Response.StatusCode}: {ServerMessage(http)}).", ex),
            HttpRequestException or SocketException or TimeoutException or OperationCanceledException =>
                new SandboxRuntimeUnavailableException($"The Kubernetes API at {where} does not answer: {ex.Message}", ex),
            WebSocketException { InnerException: HttpRequestException or SocketException } =>
                new SandboxRuntimeUnavailableException($"The Kubernetes API at {where} does not answer: {ex.Message}", ex),
            _ => null,
        };
    }

    /// <summary>Pod Security admission answers 403 too, but for the pod, not for the server's permissions.</summary>
    internal static bool IsAdmissionRefusal(HttpOperationException ex) =>
        ServerMessage(ex).Contains("violates PodSecurity", StringComparison.Ordinal);
}
