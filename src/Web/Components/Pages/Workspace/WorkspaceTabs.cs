using System.Text.Json;

namespace RemoltBlazor.Web.Components.Pages.Workspace;

/// <summary>
/// The tabs of a workspace: terminals (tmux sessions <c>main</c> for window 0 and <c>main-1</c> ... <c>main-4</c>) and
/// service tabs (Logs, Dashboard, VS Code). Closing a terminal tab only detaches it; its tmux session and programs
/// keep running, and adding a tab reuses the lowest free window, so it re-attaches to what was left there. A service
/// tab is opened (mounted) the first time it is shown and then stays, hidden, so an iframe keeps its state. A terminal
/// tab can be renamed; the names are kept per session in the browser's localStorage (<see cref="LabelsStorageKey"/>),
/// since they are how this user tells the tabs apart, not something the sandbox needs to know.
/// </summary>
public sealed class WorkspaceTabs
{
    public const int MaxTerminals = 5;
    public const int MaxLabelLength = 32;

    private readonly Dictionary<int, string> _labels = [];

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

    /// <summary>The tab's name: the one the user gave it, else <see cref="Label(int)"/>.</summary>
    public string LabelOf(int window) => _labels.TryGetValue(window, out var label) ? label : Label(window);

    /// <summary>Renames a tab; blank goes back to the default name. False when nothing changed.</summary>
    public bool Rename(int window, string? label)
    {
        var clean = Clean(label);
        if (clean is null || clean == Label(window))
        {
            return _labels.Remove(window);
        }

        if (_labels.TryGetValue(window, out var old) && old == clean)
        {
            return false;
        }

        _labels[window] = clean;
        return true;
    }

    public static string LabelsStorageKey(string sessionId) => $"remolt:tabs:{sessionId}";

    /// <summary>The custom names as stored: <c>{"0":"build","2":"logs"}</c>.</summary>
    public string LabelsJson() => JsonSerializer.Serialize(_labels.ToDictionary(l => l.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), l => l.Value));

    /// <summary>Takes the stored names back; unreadable JSON, unknown windows and junk names are ignored.</summary>
    public void RestoreLabels(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
            foreach (var (key, label) in stored)
            {
                if (int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var window)
                    && window is >= 0 and < MaxTerminals)
                {
                    Rename(window, label);
                }
            }
        }
        catch (JsonException)
        {
            // Another app's junk under our key: keep the default names.
        }
    }

    // One line, no control characters, at most MaxLabelLength characters; null when nothing is left.
    private static string? Clean(string? label)
    {
        if (label is null)
        {
            return null;
        }

        var text = new string([.. label.Where(c => !char.IsControl(c))]).Trim();
        if (text.Length > MaxLabelLength)
        {
            text = text[..MaxLabelLength].TrimEnd();
        }

        return text.Length == 0 ? null : text;
    }
}
