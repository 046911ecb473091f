using Microsoft.JSInterop;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// The components here import a JS module (tried again when a load fails), create a handle from it and must release
/// both: the handle's own <c>dispose()</c> first (listeners, sockets, the xterm instance), then the two references.
/// </summary>
internal static class JsModuleHandles
{
    /// <summary>
    /// Imports a module (and what it imports), tried three times: Chromium fails requests in flight with
    /// ERR_NETWORK_CHANGED whenever Docker changes the host's interfaces (a session's network), and one lost module
    /// fails the whole import, which would leave its component dead. A retry asks under another URL, so a failure the
    /// browser remembered is not replayed.
    /// </summary>
    public static async Task<IJSObjectReference> ImportAsync(IJSRuntime js, string path, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await js.InvokeAsync<IJSObjectReference>("import", cancellationToken, attempt == 1 ? path : $"{path}?attempt={attempt}");
            }
            catch (JSException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>Releases the handle and the module; a browser already gone (it took both with it) is not an error.</summary>
    public static async ValueTask DisposeAsync(IJSObjectReference? handle, IJSObjectReference? module)
    {
        try
        {
            if (handle is not null)
            {
                await handle.InvokeVoidAsync("dispose");
                await handle.DisposeAsync();
            }

            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The tab or the circuit is gone, and the JS objects with it.
        }
    }
}
