using RemoltBlazor.Sandboxes.Agents;

namespace RemoltBlazor.Web.Components.Pages.Workspace;

/// <summary>The tabs next to the terminals, in the original frontend's order: Logs, Dashboard, VS Code.</summary>
public enum WorkspaceService
{
    Logs,
    Dashboard,
    VsCode,
}

public static class WorkspaceServices
{
    /// <summary>Logs when agent.json declares <c>logs</c>, Dashboard when it has <c>ports</c>, VS Code always.</summary>
    public static IReadOnlyList<WorkspaceService> For(AgentDefinition? agent)
    {
        var services = new List<WorkspaceService>(3);
        if (!string.IsNullOrWhiteSpace(agent?.Logs))
        {
            services.Add(WorkspaceService.Logs);
        }

        if (agent?.HasDashboard == true)
        {
            services.Add(WorkspaceService.Dashboard);
        }

        services.Add(WorkspaceService.VsCode);
        return services;
    }

    public static string Label(WorkspaceService service) => service switch
    {
        WorkspaceService.Logs => "Logs",
        WorkspaceService.Dashboard => "Dashboard",
        _ => "VS Code",
    };

    /// <summary>Stable name for markup and tests (<c>data-service</c>).</summary>
    public static string Key(WorkspaceService service) => service switch
    {
        WorkspaceService.Logs => "logs",
        WorkspaceService.Dashboard => "dashboard",
        _ => "vscode",
    };

    /// <summary>
    /// The iframe address of a web service tab (served by the proxy routes); null for Logs. A dashboard port with an
    /// <c>auth_token</c> gets it in the fragment (<c>#token=</c>, which OpenClaw's control UI reads and strips, and
    /// which never leaves the browser): current gateways sign the connect frame with the browser's device key, token
    /// included, so the proxy can no longer add it on the way.
    /// </summary>
    public static string? FrameUrl(WorkspaceService service, string sessionId, AgentDefinition? agent = null) => service switch
    {
        WorkspaceService.Dashboard => $"/proxy/{sessionId}/" + TokenFragment(agent),
        WorkspaceService.VsCode => $"/vscode/{sessionId}/",
        _ => null,
    };

    private static string TokenFragment(AgentDefinition? agent) =>
        agent?.Ports is [{ AuthToken: { Length: > 0 } token }, ..] ? "#token=" + Uri.EscapeDataString(token) : "";
}
