using RemoltBlazor.Web.Components.Controls;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace RemoltBlazor.Web.Components.Pages.Workspace;

public sealed partial class WorkspaceToolbar : IAsyncDisposable
{
    /// <summary>What the picker offers, as the original frontend.</summary>
    public const string Accept = ".tar.gz,.tgz,application/gzip,application/x-gzip";

    private ElementReference _root;
    private IJSObjectReference? _module;
    private IJSObjectReference? _handle;
    private DotNetObjectReference<WorkspaceToolbar>? _self;
    private bool _uploading;
    private string? _status;
    private string _statusKind = "";

    [Parameter, EditorRequired]
    public string SessionId { get; set; } = "";

    /// <summary>Prefixes the buttons' ids where a second copy is shown (the Files tab's), so ids stay unique.</summary>
    [Parameter]
    public string IdPrefix { get; set; } = "";

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
            _self = DotNetObjectReference.Create(this);
            _module = await JsModuleHandles.ImportAsync(JS, "./js/transfer.js");
            _handle = await _module.InvokeAsync<IJSObjectReference>("init", _root, _self, Endpoints.WorkspaceEndpoints.UploadUrl(SessionId));
        }
        catch (Exception ex) when (ex is JSDisconnectedException or TaskCanceledException)
        {
            // The page went away while starting.
        }
    }

    [JSInvokable]
    public void OnUploadStarted(string name, long size)
    {
        _uploading = true;
        Show($"Uploading {name} ({Size(size)})…", "busy");
    }

    [JSInvokable]
    public void OnUploadProgress(long sent, long total)
    {
        var percent = total > 0 ? Math.Clamp(sent * 100 / total, 0, 100) : 0;
        // Once every byte is sent the server still validates and extracts: say so rather than sit at 100 %.
        Show(sent >= total ? "Extracting…" : $"Uploading… {percent.ToString(CultureInfo.InvariantCulture)}%", "busy");
    }

    [JSInvokable]
    public void OnUploadFinished(int status, string detail, string name)
    {
        _uploading = false;
        if (status is >= 200 and < 300)
        {
            Show($"Uploaded {name} into the workspace.", "ok");
        }
        else
        {
            Show(status == 0 ? $"Upload failed: {detail}" : $"Upload failed ({status.ToString(CultureInfo.InvariantCulture)}): {detail}", "error");
        }
    }

    private void Show(string text, string kind)
    {
        _status = text;
        _statusKind = kind;
        StateHasChanged();
    }

    private void Dismiss() => _status = null;

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MiB",
    };

    public async ValueTask DisposeAsync()
    {
        await JsModuleHandles.DisposeAsync(_handle, _module);

        _self?.Dispose();
    }
}
