using Microsoft.JSInterop;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// The components here import a JS module, create a handle from it and must release both: the handle's own
/// <c>dispose()</c> first (listeners, sockets, the xterm instance), then the two references.
/// </summary>
internal static class JsModuleHandles
{
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
