using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Creates or replaces the sandboxes' NetworkPolicy at start, before any sandbox exists. A server that may not write
/// NetworkPolicies (403) or a cluster that does not answer yet logs a warning and keeps going: the policy may have been
/// applied from k8s/ by an operator instead.
/// </summary>
internal sealed partial class KubernetesNetworkPolicyInstaller(
    KubernetesRuntime runtime, IOptions<KubernetesOptions> options, ILogger<KubernetesNetworkPolicyInstaller> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync(cancellationToken);
        }
        catch (SandboxRuntimeException ex)
        {
            LogNotApplied(logger, KubernetesNetworkPolicy.Name, runtime.Namespace, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <exception cref="SandboxRuntimeException">The API refused or did not answer.</exception>
    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var calls = runtime.Calls;
        var policy = KubernetesNetworkPolicy.Build(options.Value, calls.Namespace);
        await calls.RunAsync("create networkpolicies", async token =>
        {
            try
            {
                await calls.Client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(policy, calls.Namespace, cancellationToken: token);
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
            {
                var current = await calls.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(KubernetesNetworkPolicy.Name, calls.Namespace, cancellationToken: token);
                policy.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
                await calls.Client.NetworkingV1.ReplaceNamespacedNetworkPolicyAsync(policy, KubernetesNetworkPolicy.Name, calls.Namespace, cancellationToken: token);
            }
        }, cancellationToken);
        LogApplied(logger, KubernetesNetworkPolicy.Name, calls.Namespace);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "NetworkPolicy {Policy} applied in namespace {Namespace}")]
    private static partial void LogApplied(ILogger logger, string policy, string @namespace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NetworkPolicy {Policy} was not applied in namespace {Namespace}: {Reason}. Sandboxes are NOT isolated from each other " +
        "or from private addresses unless the policy is applied another way (kubectl apply -f k8s/networkpolicy.yaml)")]
    private static partial void LogNotApplied(ILogger logger, string policy, string @namespace, string reason);
}
