namespace RemoltBlazor.Web.Components.Pages.Workspace;

/// <summary>
/// The tabs of a workspace: terminals (tmux sessions <c>main</c> for window 0 and <c>main-1</c> ... <c>main-4</c>) and
/// service tabs (Logs, Dashboard, VS Code). Closing a terminal tab only detaches it; its tmux session and programs
/// keep running, and adding a tab reuses the lowest free window, so it re-attaches to what was left there. A service
/// tab is opened (mounted) the first time it is shown and then stays, hidden, so an iframe keeps its state.
/// </summary>
public sealed class WorkspaceTabs
{
    public const int MaxTerminals = 5;

    private readonly SortedSet<int> _windows = [0];
    private readonly SortedSet<ServiceTab> _opened = [];

    public IReadOnlyCollection<int> Windows => _windows;

    /// <summary>The terminal window shown (or shown again when the active service tab is left).</summary>
    public int Active { get; private set; }

    /// <summary>The service tab shown instead of a terminal; null while a terminal is shown.</summary>
    public ServiceTab? ActiveService { get; private set; }

    /// <summary>Service tabs shown at least once: they stay mounted.</summary>
    public IReadOnlyCollection<ServiceTab> OpenedServices => _opened;

    public bool IsActive(int window) => ActiveService is null && Active == window;

    public void ActivateService(ServiceTab service)
    {
        _opened.Add(service);
        ActiveService = service;
    }

    public bool CanAdd => _windows.Count < MaxTerminals;

    public bool CanClose => _windows.Count > 1;

    /// <summary>Opens tabs for windows 0..count-1 (the server's <c>terminals</c> count), keeping the first active.</summary>
    public void Restore(int count)
    {
        for (var window = 0; window < Math.Clamp(count, 1, MaxTerminals); window++)
        {
            _windows.Add(window);
        }
    }

    /// <summary>Adds the lowest free window and activates it; null when all five are open.</summary>
    public int? Add()
    {
        if (!CanAdd)
        {
            return null;
        }

        var window = Enumerable.Range(0, MaxTerminals).First(w => !_windows.Contains(w));
        _windows.Add(window);
        Active = window;
        ActiveService = null;
        return window;
    }

    public void Activate(int window)
    {
        if (_windows.Contains(window))
        {
            Active = window;
            ActiveService = null;
        }
    }

    /// <summary>Closes a tab (never the last one); the neighbour to its left becomes active if it was.</summary>
    public bool Close(int window)
    {
        if (!CanClose || !_windows.Remove(window))
        {
            return false;
        }

        if (Active == window)
        {
            Active = _windows.Where(w => w < window).DefaultIfEmpty(_windows.Min).Max();
        }

        return true;
    }

    public static string Label(int window) => $"Term {window + 1}";
}
