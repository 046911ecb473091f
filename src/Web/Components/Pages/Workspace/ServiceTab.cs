namespace RemoltBlazor.Web.Components.Pages.Workspace;

/// <summary>The service tabs next to the terminals: Files, then the original frontend's order: Logs, Dashboard, VS Code.</summary>
public enum ServiceTab
{
    Files,
    Logs,
    Dashboard,
    VsCode,
}
