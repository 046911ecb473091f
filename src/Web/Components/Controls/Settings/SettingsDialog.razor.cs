using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Components.Controls.Settings;

/// <summary>The settings dialog; its logic is in <see cref="KeySettings"/> and <see cref="TokenSettings"/>.</summary>
public sealed partial class SettingsDialog : IDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private KeySettings? _keys;
    private TokenSettings? _tokens;
    private string _owner = CallerName.Anonymous;
    private bool _busy;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private ApiKeyStore Keys { get; set; } = default!;

    [Inject]
    private StoredKeyNames Names { get; set; } = default!;

    [Inject]
    private AccessTokenStore Tokens { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Auth { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    public static async Task ShowAsync(IDialogService dialogs)
    {
        var options = new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true };
        var dialog = await dialogs.ShowAsync<SettingsDialog>("Settings", options);
        await dialog.Result;
    }

    protected override async Task OnInitializedAsync()
    {
        _owner = CallerName.Of((await Auth.GetAuthenticationStateAsync()).User);
        var keys = new KeySettings(Keys, Names, _owner);
        var tokens = new TokenSettings(Tokens, _owner);
        await keys.LoadAsync(_closed.Token);
        await tokens.LoadAsync(_closed.Token);
        (_keys, _tokens) = (keys, tokens);
    }

    /// <summary>One change at a time: the buttons are disabled while it runs.</summary>
    private async Task RunAsync(Func<CancellationToken, Task> change)
    {
        _busy = true;
        try
        {
            await change(_closed.Token);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Copies with the terminals' clipboard code: the Clipboard API, or on plain http the textarea fallback.</summary>
    private async Task CopyAsync(string text)
    {
        try
        {
            await using var clipboard = await JsModuleHandles.ImportAsync(JS, "./js/terminal-clipboard.js", _closed.Token);
            await clipboard.InvokeAsync<string>("copyText", _closed.Token, text);
        }
        catch (JSException)
        {
            // Neither way worked (permission refused): the token stays on screen to copy by hand.
        }
    }

    private static string When(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _closed.Cancel();
        _closed.Dispose();
    }
}
