namespace RemoltBlazor.Web.Proxy;

internal static class ProxyServiceCollectionExtensions
{
    /// <summary>The proxies' options (validated on start), their one pooled upstream client and the forwarders.</summary>
    public static IServiceCollection AddRemoltProxies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddSingleton<SandboxUpstream>();
        services.AddSingleton<ProxyTargets>();
        services.AddSingleton<CodeServerProbe>();
        services.AddSingleton<HttpForwarder>();
        services.AddSingleton<ProxySocketForwarder>();
        return services;
    }
}
