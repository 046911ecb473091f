using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RemoltBlazor.Sandboxes.Images;

public static class ImagesServiceCollectionExtensions
{
    /// <summary><see cref="SandboxImageOptions"/> and <see cref="SandboxImages"/>; each runtime adds its own <see cref="ISandboxImageBuilder"/>.</summary>
    public static IServiceCollection AddSandboxImages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SandboxImageOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SandboxImages>();
        return services;
    }
}
