using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;
using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Components.Controls;

namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

/// <summary>
/// The Files tab: a tree of <c>~/workspace</c> and an editor for one file. Reads, listings and tree operations go to
/// <see cref="WorkspaceFiles"/> in-process on the circuit (ownership checked by <see cref="SessionManager.Get"/> each
/// time); bytes that come from the browser (a save, an upload) go to the file API by fetch from JS instead, so they
/// never meet the circuit's 32 KiB message cap. Change notifications are watched in-process too: the tree and the open
/// file follow what the agent does.
/// </summary>
public sealed partial class FilesPane : IAsyncDisposable
{
    private readonly FileTreeModel _tree = new();
    private readonly CancellationTokenSource _lifetime = new();
    private ElementReference _root;
    private ElementReference _editorHost;
    private IJSObjectReference? _filesModule;
    private IJSObjectReference? _filesHandle;
    private IJSObjectReference? _editorModule;
    private IJSObjectReference? _editorHandle;
    private DotNetObjectReference<FilesPane>? _self;
    private Task? _watch;
    private string? _error;
    private string? _upload;
    private bool _uploading;

    [Parameter, EditorRequired]
    public string SessionId { get; set; } = "";

    [Parameter, EditorRequired]
    public string Caller { get; set; } = "";

    [Inject]
    private SessionManager Sessions { get; set; } = default!;

    [Inject]
    private WorkspaceFiles Files { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    private CancellationToken Lifetime => _lifetime.Token;

    protected override Task OnInitializedAsync() => ListAsync(WorkspacePaths.Root);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _watch = WatchAsync(Lifetime);
        try
        {
            _self = DotNetObjectReference.Create(this);
            _filesModule = await JsModuleHandles.ImportAsync(JS, "./js/files.js");
            _filesHandle = await _filesModule.InvokeAsync<IJSObjectReference>("init", _root, _self, SessionId);
            _editorModule = await JsModuleHandles.ImportAsync(JS, "./js/editor.js");
            _editorHandle = await _editorModule.InvokeAsync<IJSObjectReference>("create", _editorHost, _self);
            await LoadOpenFilesAsync();
        }
        catch (Exception ex) when (ex is JSDisconnectedException or TaskCanceledException)
        {
            // The page went away while starting.
        }
    }

    /// <summary>Runs one operation on the session; a refusal (its detail) or a failure is shown, never thrown at the circuit.</summary>
    private async Task<bool> RunAsync(Func<Session, CancellationToken, Task> operation)
    {
        try
        {
            _error = null;
            await operation(Sessions.Get(SessionId, Caller), Lifetime);
            return true;
        }
        catch (SessionNotFoundException)
        {
            _error = "This session has ended: its files are gone with it.";
        }
        catch (SessionException ex)
        {
            _error = ex.Message;
        }
        catch (OperationCanceledException) when (Lifetime.IsCancellationRequested)
        {
            // The pane is going away.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = $"The sandbox did not answer: {ex.Message}";
        }

        return false;
    }

    private async Task ListAsync(string folder)
    {
        if (!await RunAsync(async (session, ct) => _tree.SetChildren(folder, await Files.ListAsync(session, folder, ct))))
        {
            _tree.ListingFailed(folder);
        }
    }

    private async Task RefreshAsync()
    {
        foreach (var folder in _tree.ListedFolders())
        {
            await ListAsync(folder);
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            var session = Sessions.Get(SessionId, Caller);
            await foreach (var batch in Files.WatchAsync(session, cancellationToken))
            {
                await InvokeAsync(async () =>
                {
                    var everything = _tree.Apply(batch);
                    if (everything)
                    {
                        await RefreshAsync();
                    }

                    await FollowChangesAsync(batch, everything);

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SessionException)
        {
            // The session ended: the workspace page says so.
        }
        catch (Exception ex)
        {
            await InvokeAsync(() =>
            {
                _error = $"Live updates stopped ({ex.Message}); Refresh still lists the files.";
                StateHasChanged();
            });
        }
    }

    private async Task OnRowClickAsync(FileTreeNode node)
    {
        _tree.Select(node.Path);
        if (node.IsDirectory)
        {
            if (_tree.Toggle(node.Path))
            {
                await ListAsync(node.Path);
            }
        }
        else
        {
            await OpenAsync(node.Path);
        }
    }

    private async Task OnTreeKeyAsync(KeyboardEventArgs e)
    {
        switch (e.Key)
        {
            case "F2":
                await RenameAsync();
                return;
            case "Delete":
                await DeleteAsync();
                return;
        }

        var result = _tree.OnKey(e.Key);
        if (result.ListFolder is { } folder)
        {
            await ListAsync(folder);
        }
        else if (result.OpenFile is { } file)
        {
            await OpenAsync(file);
        }
    }

    private void OnTreeFocus()
    {
        if (_tree.Selected is null && _tree.Visible() is [var first, ..])
        {
            _tree.Select(first.Path);
        }
    }

    private async Task<bool> ConfirmAsync(string title, string message, string yes) =>
        await Dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: "Cancel") == true;

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        if (_watch is not null)
        {
            await _watch;
        }

        await JsModuleHandles.DisposeAsync(_filesHandle, _filesModule);
        await JsModuleHandles.DisposeAsync(_editorHandle, _editorModule);
        _self?.Dispose();
        _lifetime.Dispose();
    }
}
