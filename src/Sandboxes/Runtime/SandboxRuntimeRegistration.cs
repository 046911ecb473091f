using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Kubernetes;
using RemoltBlazor.Sandboxes.Local;

namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// Registers the runtime <see cref="RuntimeSelector"/> chooses as <see cref="ISandboxRuntime"/>, and the choice itself
/// as <see cref="RuntimeSelection"/>. Auto's Docker check runs when the runtime is first needed (at start), not here.
/// </summary>
internal static class SandboxRuntimeRegistration
{
    /// <summary>How long auto waits for a Docker engine to answer before looking for bubblewrap.</summary>
    private static readonly TimeSpan s_dockerProbeTimeout = TimeSpan.FromSeconds(5);

    public static void AddSandboxRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        // Docker stays registered either way (its settings are validated and cheap); only the chosen one is built.
        services.AddDockerRuntime(configuration);
        if (KubernetesServiceCollectionExtensions.UsesKubernetes(configuration))
        {
            var setting = RuntimeSelector.Normalize(configuration["REMOLT_RUNTIME"]);
            services.AddKubernetesRuntime(configuration);
            services.AddSingleton(new RuntimeSelection(RuntimeSelector.Kubernetes,
                setting == RuntimeSelector.Kubernetes ? "REMOLT_RUNTIME=kubernetes" : "auto: this process runs in a pod with a service-account token"));
            services.AddSingleton<ISandboxRuntime>(sp => Announce(sp, sp.GetRequiredService<KubernetesRuntime>()));
            return;
        }

        services.AddLocalRuntime(configuration);
        services.AddSingleton(sp => RuntimeSelector.Select(configuration["REMOLT_RUNTIME"], new RuntimeHostFacts(
            InCluster: () => false,
            DockerAnswers: () => DockerAnswers(sp.GetRequiredService<DockerRuntime>()),
            OnPath: RuntimeSelector.IsOnPath)));
        services.AddSingleton<ISandboxRuntime>(sp => Announce(sp, sp.GetRequiredService<RuntimeSelection>().Runtime == RuntimeSelector.Local
            ? sp.GetRequiredService<LocalRuntime>()
            : sp.GetRequiredService<DockerRuntime>()));
    }

    private static bool DockerAnswers(DockerRuntime docker)
    {
        using var timeout = new CancellationTokenSource(s_dockerProbeTimeout);
        try
        {
            // Once, at start, from a DI factory: there is no synchronization context to deadlock on here.
            return docker.ProbeAsync(timeout.Token).GetAwaiter().GetResult().Available;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One line at start saying which runtime serves sandboxes, where, and why.</summary>
    private static ISandboxRuntime Announce(IServiceProvider services, ISandboxRuntime runtime)
    {
        var selection = services.GetRequiredService<RuntimeSelection>();
        var where = runtime switch
        {
            KubernetesRuntime kubernetes => $"namespace {kubernetes.Namespace}",
            LocalRuntime => "bubblewrap sandboxes on this host",
            _ => "the local engine",
        };
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("RemoltBlazor.Sandboxes.Runtime");
        logger.LogInformation("Sandbox runtime: {Runtime} ({Where}; {Reason})", runtime.Name, where, selection.Reason);
        var dockerSocket = services.GetRequiredService<IOptions<DockerOptions>>().Value.SocketPath;
        if (runtime is LocalRuntime && selection.Reason.StartsWith("auto", StringComparison.Ordinal) && File.Exists(dockerSocket))
        {
            // An engine that starts after the app (a boot order) would otherwise go unnoticed until the next restart.
            logger.LogWarning("A Docker socket is at {Socket} but no engine answered at start, so sandboxes run on this host; set REMOLT_RUNTIME=docker to use Docker", dockerSocket);
        }

        if (selection.NoneFound is { } remedy)
        {
            logger.LogWarning("No sandbox runtime is usable: {Remedy} {Commands}", remedy.Text, remedy.Commands);
        }

        return runtime;
    }
}
