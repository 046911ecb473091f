using MudBlazor;

namespace RemoltBlazor.Web.Components.Layout;

/// <summary>
/// The theme of the UI, dark and light: neutral surfaces with a single blue accent. MudThemeProvider publishes it as
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
        PaletteLight = new PaletteLight
        {
            Primary = "#0b5cd5",
            PrimaryContrastText = "#ffffff",
            Secondary = "#7c4dcc",
            Tertiary = "#0e7c86",
            Info = "#0b5cd5",
            Success = "#1a7f37",
            Warning = "#9a6700",
            WarningContrastText = "#ffffff",
            Error = "#cf222e",
            Dark = "#24292f",
            Black = "#24292f",
            Background = "#f6f8fa",
            BackgroundGray = "#eef1f4",
            Surface = "#ffffff",
            AppbarBackground = "#ffffff",
            AppbarText = "#1f2328",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1f2328",
            TextSecondary = "#57606a",
            TextDisabled = "rgba(31,35,40,0.38)",
            ActionDefault = "#57606a",
            LinesDefault = "#d0d7de",
            LinesInputs = "#afb8c1",
            Divider = "#d0d7de",
            OverlayDark = "rgba(31,35,40,0.4)",
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
