using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RemoltBlazor.Web.Proxy;

internal static class ProxyServiceCollectionExtensions
{
    /// <summary>The proxies' options (validated on start), their one pooled upstream client, YARP's forwarder and the dashboard socket relay.</summary>
    public static IServiceCollection AddRemoltProxies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddAppsOriginAuthorization();
        services.AddSingleton<SandboxUpstream>();
        services.AddSingleton<ProxyTargets>();
        services.AddSingleton<CodeServerProbe>();
        services.AddHttpForwarder();
        // ProxyForwarder logs the failures that matter, once; YARP would add two lines per request and a warning
        // for every refresh of a starting page.
        services.AddLogging(logging => logging.AddFilter("Yarp.ReverseProxy", LogLevel.Error));
        services.AddSingleton<ProxyForwarder>();
        services.AddSingleton<DashboardSocket>();
        services.AddSingleton<AppsOrigin>();
        services.AddSingleton<AppsTickets>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, AppsListener>();
        return services;
    }
}
