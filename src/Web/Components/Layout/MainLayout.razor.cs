using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using RemoltBlazor.Web.Components.Controls;

namespace RemoltBlazor.Web.Components.Layout;

/// <summary>
/// Applies <see cref="ThemeState"/>: asks the browser for its colour scheme when the user has not chosen, and after a
/// change stores the choice (the cookie the next prerender reads) and tells the terminals to take the new colours.
/// </summary>
public sealed partial class MainLayout : IAsyncDisposable
{
    private MudThemeProvider? _provider;
    private IJSObjectReference? _module;
    private bool _themeChanged;

    [CascadingParameter]
    private ThemeState Theme { get; set; } = new(ThemeMode.System);

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    protected override void OnInitialized() => Theme.Changed += OnThemeChanged;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (firstRender && Theme.Mode == ThemeMode.System && _provider is not null)
            {
                Theme.SetSystemDark(await _provider.GetSystemDarkModeAsync());
            }

            if (_themeChanged)
            {
                _themeChanged = false;
                _module ??= await JsModuleHandles.ImportAsync(JS, "./js/theme.js");
                await _module.InvokeVoidAsync("remember", ThemeState.CookieValue(Theme.Mode));
                await _module.InvokeVoidAsync("applied");
            }
        }
        catch (JSDisconnectedException)
        {
            // The page went away; the next one reads the cookie as it was.
        }
    }

    // Raised by a toggle's click handler or by OnAfterRenderAsync, both on this circuit's dispatcher.
    private void OnThemeChanged()
    {
        _themeChanged = true;
        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        Theme.Changed -= OnThemeChanged;
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }
}
