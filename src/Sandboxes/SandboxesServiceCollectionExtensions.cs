using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.Sandboxes.Logs;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Sandboxes.Monitoring;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Sandboxes.Workspace;

namespace RemoltBlazor.Sandboxes;

public static class SandboxesServiceCollectionExtensions
{
    /// <summary>Agents, the sandbox runtime, sessions, terminal attach, workspace transfer and files, agent logs and the session monitor.</summary>
    public static IHostApplicationBuilder AddRemoltSandboxes(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AgentOptions>().Bind(builder.Configuration).ValidateOnStart();
        services.AddOptions<SessionOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AgentCatalog>();
        services.AddSandboxRuntime(builder.Configuration);
        services.AddMetrics();
        services.AddSingleton<RemoltMetrics>();
        services.AddHostedService<SandboxGauges>();
        services.AddSingleton<SessionNotices>();
        services.AddSingleton<WarmPool>();
        services.AddSingleton<SandboxProvisioner>();
        services.AddSandboxImages(builder.Configuration);
        services.AddSingleton<StoredKeyNames>();
        services.AddSingleton<IOwnerCredentials, StoredKeyCredentials>();
        services.AddSingleton<IOwnerCredentials, GitHubTokenCredentials>();
        services.AddSingleton<SessionManager>();
        services.AddSingleton<TerminalClients>();
        services.AddSingleton<ITerminalAttacher, TerminalAttacher>();
        services.AddWorkspaceTransfer(builder.Configuration);
        services.AddWorkspaceFiles(builder.Configuration);
        services.AddOptions<AgentLogsOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AgentLogs>();
        services.AddHostedService<SessionReconciler>();
        services.AddSingleton<DeferredReconciliation>();
        services.AddHostedService(sp => sp.GetRequiredService<DeferredReconciliation>());
        services.AddHostedService<ServerLifecycleEvents>();
        services.AddHostedService(sp => sp.GetRequiredService<WarmPool>());
        services.AddSingleton<SessionReaper>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionReaper>());
        services.AddSessionMonitor(builder.Configuration);
        return builder;
    }
}
