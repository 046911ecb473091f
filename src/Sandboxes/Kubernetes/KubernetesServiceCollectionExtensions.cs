using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

public static class KubernetesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KubernetesOptions"/> (bound from the root, validated on start), <c>KubernetesRuntime</c> as
    /// itself and the NetworkPolicy installer (a hosted service, so it runs before the reconciler and the warm pool
    /// create pods). Choosing which runtime serves <c>ISandboxRuntime</c> is left to the caller.
    /// </summary>
    public static IServiceCollection AddKubernetesRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KubernetesOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubernetesOptions>, KubernetesOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KubernetesRuntime>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RemoltBlazor.Sandboxes.Images.ISandboxImageBuilder, KubernetesImageBuilder>());
        services.AddHostedService<KubernetesNetworkPolicyInstaller>();
        return services;
    }

    /// <summary>
    /// REMOLT_RUNTIME: <c>kubernetes</c>, or <c>auto</c> (the default) when this process runs in a pod with a
    /// service-account token (<see cref="RuntimeSelector"/> has the whole order). True for Kubernetes.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another value.</exception>
    public static bool UsesKubernetes(IConfiguration configuration)
    {
        var options = new KubernetesOptions();
        configuration.Bind(options);
        var runtime = RuntimeSelector.Normalize(options.Runtime);
        return runtime == RuntimeSelector.Kubernetes || (runtime == "auto" && KubernetesClientFactory.IsInCluster(options));
    }
}
