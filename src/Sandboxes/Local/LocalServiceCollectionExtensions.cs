using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.Sandboxes.Local.Tools;

namespace RemoltBlazor.Sandboxes.Local;

public static class LocalServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LocalOptions"/> (bound from the root, where the <c>REMOLT_*</c> environment variables land;
    /// validated on start) and <c>LocalRuntime</c> as itself, hiding the app's content root from sandboxes too; with
    /// the agent catalog, sandboxes get their agent's installed tools, which <c>LocalToolBuilder</c> installs at launch.
    /// Choosing which runtime serves <c>ISandboxRuntime</c> is left to the caller.
    /// </summary>
    public static IServiceCollection AddLocalRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalOptions>, LocalOptionsValidator>());
        services.TryAddSingleton(sp => new LocalRuntime(
            sp.GetRequiredService<IOptions<LocalOptions>>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<IHostEnvironment>() is { } host ? [host.ContentRootPath] : [],
            tools: sp.GetService<AgentCatalog>() is null ? null : sp.GetRequiredService<LocalToolFolders>()));

        // Agents' installs into shared tool folders: the local runtime's ISandboxImageBuilder (Docker's builds images).
        services.TryAddSingleton(sp => new LocalToolFolders(
            sp.GetRequiredService<IOptions<LocalOptions>>().Value.DataDirectory,
            sp.GetRequiredService<AgentCatalog>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<LocalToolFolders>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISandboxImageBuilder, LocalToolBuilder>(sp => new LocalToolBuilder(
            sp.GetRequiredService<LocalToolFolders>(),
            sp.GetRequiredService<LocalRuntime>,
            sp.GetRequiredService<IOptions<LocalOptions>>(),
            sp.GetRequiredService<IOptions<SandboxImageOptions>>(),
            sp.GetRequiredService<ILogger<LocalToolBuilder>>())));
        return services;
    }
}
