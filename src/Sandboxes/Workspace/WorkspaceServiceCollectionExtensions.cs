using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RemoltBlazor.Sandboxes.Workspace;

internal static class WorkspaceServiceCollectionExtensions
{
    /// <summary>Workspace upload and download, and the agent logs source.</summary>
    public static IServiceCollection AddWorkspaceTransfer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkspaceOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WorkspaceUploadSlots>();
        services.AddSingleton<WorkspaceTransfer>();
        services.AddHostedService<WorkspaceUploadFiles>();
        return services;
    }
}
