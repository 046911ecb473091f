namespace RemoltBlazor.Web.Components.Pages.Workspace;

/// <summary>
/// The terminal tabs of a workspace: tmux sessions <c>main</c> (window 0) and <c>main-1</c> ... <c>main-4</c>.
/// Closing a tab only detaches it; its tmux session and programs keep running, and adding a tab reuses the lowest
/// free window, so it re-attaches to what was left there.
/// </summary>
public sealed class WorkspaceTabs
{
    public const int MaxTerminals = 5;

    private readonly SortedSet<int> _windows = [0];

    public IReadOnlyCollection<int> Windows => _windows;

    public int Active { get; private set; }

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
        return window;
    }

    public void Activate(int window)
    {
        if (_windows.Contains(window))
        {
            Active = window;
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
