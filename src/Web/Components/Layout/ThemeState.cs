namespace RemoltBlazor.Web.Components.Layout;

/// <summary>The user's choice of look: follow the system, or always light or dark.</summary>
public enum ThemeMode
{
    System,
    Light,
    Dark,
}

/// <summary>
/// Light or dark for one page, shared by the layout (which hands it to MudThemeProvider) and every toggle. The choice
/// lives in a cookie (<see cref="CookieName"/>), which App.razor reads while prerendering: a reload renders the chosen
/// look from its first byte, with no dark-to-light flash. Without a cookie the system's preference wins once the
/// browser has said what it is (until then the server guesses dark).
/// </summary>
public sealed class ThemeState
{
    public const string CookieName = "remolt-theme";

    private bool _systemDark = true;

    public ThemeState(ThemeMode mode) => Mode = mode;

    public ThemeMode Mode { get; private set; }

    public bool IsDark => Mode == ThemeMode.Dark || (Mode == ThemeMode.System && _systemDark);

    /// <summary>Raised after <see cref="IsDark"/> or <see cref="Mode"/> changed.</summary>
    public event Action? Changed;

    /// <summary>The cookie's value as a mode; anything else (missing, junk) follows the system.</summary>
    public static ThemeMode Parse(string? cookie) => cookie switch
    {
        "light" => ThemeMode.Light,
        "dark" => ThemeMode.Dark,
        _ => ThemeMode.System,
    };

    /// <summary>What the cookie stores for <paramref name="mode"/>; null means "remove it".</summary>
    public static string? CookieValue(ThemeMode mode) => mode switch
    {
        ThemeMode.Light => "light",
        ThemeMode.Dark => "dark",
        _ => null,
    };

    /// <summary>What the browser reports (prefers-color-scheme); matters only while the mode is System.</summary>
    public void SetSystemDark(bool dark)
    {
        if (_systemDark == dark)
        {
            return;
        }

        var before = IsDark;
        _systemDark = dark;
        if (before != IsDark)
        {
            Changed?.Invoke();
        }
    }

    public void Set(ThemeMode mode)
    {
        if (mode != Mode)
        {
            Mode = mode;
            Changed?.Invoke();
        }
    }

    /// <summary>The toggle: the opposite of what is shown now, remembered from then on.</summary>
    public void Toggle() => Set(IsDark ? ThemeMode.Light : ThemeMode.Dark);
}
