using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RemoltBlazor.Sandboxes.Monitoring;

internal static class MonitoringServiceCollectionExtensions
{
    /// <summary>The session monitor: one singleton that is also the hosted sampler loop (idle while nobody subscribes).</summary>
    public static IServiceCollection AddSessionMonitor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitorOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SessionMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionMonitor>());
        return services;
    }
}
