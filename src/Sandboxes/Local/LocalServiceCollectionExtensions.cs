using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Sandboxes.Local;

public static class LocalServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LocalOptions"/> (bound from the root, where the <c>REMOLT_*</c> environment variables land;
    /// validated on start) and <c>LocalRuntime</c> as itself, hiding the app's content root from sandboxes too.
    /// Choosing which runtime serves <c>ISandboxRuntime</c> is left to the caller.
    /// </summary>
    public static IServiceCollection AddLocalRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalOptions>, LocalOptionsValidator>());
        services.TryAddSingleton(sp => new LocalRuntime(
            sp.GetRequiredService<IOptions<LocalOptions>>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<IHostEnvironment>() is { } host ? [host.ContentRootPath] : []));
        return services;
    }
}
