using RemoltBlazor.Web.Components.Controls;
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
            _module = await JsModuleHandles.ImportAsync(JS, "./js/logs.js");
            _handle = await _module.InvokeAsync<IJSObjectReference>("create", _host, Endpoints.SessionUrls.Logs(SessionId));
        }
        catch (Exception ex) when (ex is JSDisconnectedException or TaskCanceledException)
        {
            // The page went away while starting.
        }
    }

    public ValueTask DisposeAsync() => JsModuleHandles.DisposeAsync(_handle, _module);
}
