using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Docker.Build;
using RemoltBlazor.Sandboxes.Images;

namespace RemoltBlazor.Sandboxes.Docker;

public static class DockerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DockerOptions"/> (bound from the root, where the <c>REMOLT_*</c> and <c>DOCKER_HOST</c>
    /// environment variables land; validated on start), the Docker.DotNet engine connection and <c>DockerRuntime</c>
    /// as itself. Choosing which runtime serves <c>ISandboxRuntime</c> is left to the caller.
    /// </summary>
    public static IServiceCollection AddDockerRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DockerOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DockerOptions>, DockerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DockerEngine>(sp => new DockerEngine(sp.GetRequiredService<IOptions<DockerOptions>>()));
        services.TryAddSingleton<DockerRuntime>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISandboxImageBuilder, DockerImageBuilder>());
        return services;
    }
}
