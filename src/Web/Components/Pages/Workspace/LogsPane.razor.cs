using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace RemoltBlazor.Web.Components.Pages.Workspace;

public sealed partial class LogsPane : IAsyncDisposable
{
    private ElementReference _host;
    private IJSObjectReference? _module;
    private IJSObjectReference? _handle;

    [Parameter, EditorRequired]
    public string SessionId { get; set; } = "";

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/logs.js");
            _handle = await _module.InvokeAsync<IJSObjectReference>("create", _host, Endpoints.SessionUrls.Logs(SessionId));
        }
        catch (Exception ex) when (ex is JSDisconnectedException or TaskCanceledException)
        {
            // The page went away while starting.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_handle is not null)
            {
                await _handle.InvokeVoidAsync("dispose");
                await _handle.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser closed the socket with the page.
        }
    }
}
