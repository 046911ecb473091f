using MudBlazor;

namespace RemoltBlazor.Web.Components.Layout;

/// <summary>
/// The one theme of the UI: dark, neutral surfaces with a single blue accent. MudThemeProvider publishes it as
/// <c>--mud-palette-*</c> CSS variables, and the terminals (wwwroot/js/terminal.js, logs.js) read their background,
/// foreground, cursor and selection from those, so the terminal and the page around it always agree.
/// </summary>
public static class RemoltTheme
{
    /// <summary>System fonts: nothing is fetched from a font CDN (self-hosted installs may have no internet).</summary>
    private static readonly string[] s_fonts = ["Inter", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = "#6ea8fe",
            PrimaryContrastText = "#0b1220",
            Secondary = "#b392f0",
            Tertiary = "#56d4dd",
            Info = "#6ea8fe",
            Success = "#56d364",
            Warning = "#e3b341",
            WarningContrastText = "#1a1405",
            Error = "#f47067",
            Dark = "#0d1015",
            Black = "#0d1015",
            Background = "#0f1218",
            BackgroundGray = "#141821",
            Surface = "#171b24",
            AppbarBackground = "#141821",
            AppbarText = "#e6edf3",
            DrawerBackground = "#141821",
            TextPrimary = "#e6edf3",
            TextSecondary = "#9da7b3",
            TextDisabled = "rgba(230,237,243,0.38)",
            ActionDefault = "#9da7b3",
            LinesDefault = "#2a303b",
            LinesInputs = "#3a4250",
            Divider = "#2a303b",
            OverlayDark = "rgba(5,7,10,0.6)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = s_fonts },
            // Sentence-case buttons read as a developer tool, not a form from 2014.
            Button = new ButtonTypography { FontFamily = s_fonts, TextTransform = "none", FontWeight = "500" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
