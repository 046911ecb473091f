namespace RemoltBlazor.Web.Components.Pages.Workspace;

/// <summary>What a key pressed on a focused tab does (the WAI-ARIA tabs pattern, with automatic activation).</summary>
/// <param name="MoveTo">The tab to focus and show; null to stay.</param>
/// <param name="Close">Delete: close the focused terminal tab.</param>
/// <param name="Rename">F2: rename the focused terminal tab.</param>
public sealed record WorkspaceTabKey(string? MoveTo, bool Close = false, bool Rename = false)
{
    /// <summary>
    /// Arrow keys move to the neighbour (wrapping), Home and End to the ends, Enter and Space show the focused tab,
    /// Delete closes it and F2 renames it. Null for any other key, which the browser keeps.
    /// </summary>
    public static WorkspaceTabKey? For(IReadOnlyList<string> order, string current, string key)
    {
        var index = order.ToList().IndexOf(current);
        if (index < 0 || order.Count == 0)
        {
            return null;
        }

        return key switch
        {
            "ArrowRight" => new(order[(index + 1) % order.Count]),
            "ArrowLeft" => new(order[(index - 1 + order.Count) % order.Count]),
            "Home" => new(order[0]),
            "End" => new(order[^1]),
            "Enter" or " " => new(current),
            "Delete" => new(null, Close: true),
            "F2" => new(null, Rename: true),
            _ => null,
        };
    }

    public static string Id(int window) => $"term-{window}";

    public static string Id(ServiceTab service) => $"service-{ServiceTabs.Key(service)}";
}
