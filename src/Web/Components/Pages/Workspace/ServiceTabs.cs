using RemoltBlazor.Sandboxes.Agents;

namespace RemoltBlazor.Web.Components.Pages.Workspace;

/// <summary>Which service tabs an agent gets, and each tab's label, key and iframe address.</summary>
public static class ServiceTabs
{
    /// <summary>Files always, Logs when agent.json declares <c>logs</c>, Dashboard when it has <c>ports</c>, VS Code always.</summary>
    public static IReadOnlyList<ServiceTab> For(AgentDefinition? agent)
    {
        var tabs = new List<ServiceTab>(4) { ServiceTab.Files };
        if (!string.IsNullOrWhiteSpace(agent?.Logs))
        {
            tabs.Add(ServiceTab.Logs);
        }

        if (agent?.HasDashboard == true)
        {
            tabs.Add(ServiceTab.Dashboard);
        }

        tabs.Add(ServiceTab.VsCode);
        return tabs;
    }

    public static string Label(ServiceTab tab) => tab switch
    {
        ServiceTab.Files => "Files",
        ServiceTab.Logs => "Logs",
        ServiceTab.Dashboard => "Dashboard",
        _ => "VS Code",
    };

    /// <summary>Stable name for markup and tests (<c>data-service</c>).</summary>
    public static string Key(ServiceTab tab) => tab switch
    {
        ServiceTab.Files => "files",
        ServiceTab.Logs => "logs",
        ServiceTab.Dashboard => "dashboard",
        _ => "vscode",
    };

    /// <summary>
    /// The iframe address of a web service tab (served by the proxy routes); null for Files and Logs. A dashboard port with an
    /// <c>auth_token</c> gets it in the fragment (<c>#token=</c>, which OpenClaw's control UI reads and strips, and
    /// which never leaves the browser): current gateways sign the connect frame with the browser's device key, token
    /// included, so the proxy can no longer add it on the way.
    /// </summary>
    public static string? FrameUrl(ServiceTab tab, string sessionId, AgentDefinition? agent = null) => tab switch
    {
        ServiceTab.Dashboard => $"/proxy/{sessionId}/" + TokenFragment(agent),
        ServiceTab.VsCode => $"/vscode/{sessionId}/",
        _ => null,
    };

    private static string TokenFragment(AgentDefinition? agent) =>
        agent?.Ports is [{ AuthToken: { Length: > 0 } token }, ..] ? "#token=" + Uri.EscapeDataString(token) : "";
}
