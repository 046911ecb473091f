using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RemoltBlazor.Sandboxes.Files;

internal static class FilesServiceCollectionExtensions
{
    /// <summary>The workspace file API (the Files tab) and its limits.</summary>
    public static IServiceCollection AddWorkspaceFiles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FilesOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WorkspaceFiles>();
        return services;
    }
}
