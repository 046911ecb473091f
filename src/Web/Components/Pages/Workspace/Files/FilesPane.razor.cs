using System.Globalization;
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
    private readonly FileEditorState _editor = new();
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
    private bool _opening;

    /// <summary>On a phone the tree and the editor take turns: true while the editor is the one shown.</summary>
    private bool _showEditor;

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
            _filesModule = await JS.InvokeAsync<IJSObjectReference>("import", "./js/files.js");
            _filesHandle = await _filesModule.InvokeAsync<IJSObjectReference>("init", _root, _self, SessionId);
            _editorModule = await JS.InvokeAsync<IJSObjectReference>("import", "./js/editor.js");
            _editorHandle = await _editorModule.InvokeAsync<IJSObjectReference>("create", _editorHost, _self);
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
                    _tree.Apply(batch);
                    // Every change is offered to the editor state (it notes one seen during a save), then one read.
                    var touched = batch.Aggregate(false, (any, c) => _editor.Changed(c.Path) | (c.OldPath is not null && _editor.Changed(c.OldPath)) | any);
                    if (touched)
                    {
                        await CheckDiskAsync();
                    }

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

    private async Task OpenAsync(string path)
    {
        if (_editor.Dirty && _editor.Path != WorkspacePaths.Normalize(path) && !await ConfirmAsync(
                "Unsaved changes", $"Discard the unsaved changes to {_editor.Path}?", "Discard"))
        {
            return;
        }

        _opening = true;
        try
        {
            FileContent? content = null;
            if (await RunAsync(async (session, ct) => content = await Files.ReadAsync(session, path, ct)) && content is not null)
            {
                await ShowAsync(content, reload: false);
                _showEditor = true;
            }
        }
        finally
        {
            _opening = false;
        }
    }

    /// <summary>Puts a read file in the editor (or the binary / too-large panel instead).</summary>
    private async Task ShowAsync(FileContent content, bool reload)
    {
        var sameFile = reload && _editor.IsText && _editor.Path == WorkspacePaths.Normalize(content.Path);
        _editor.Open(content);
        if (_editorHandle is null)
        {
            return;
        }

        if (!_editor.IsText)
        {
            await _editorHandle.InvokeVoidAsync("clear");
        }
        else if (sameFile)
        {
            await _editorHandle.InvokeVoidAsync("replace", content.Text ?? "");
        }
        else
        {
            await _editorHandle.InvokeVoidAsync("load", content.Text ?? "", WorkspacePaths.Name(content.Path));
        }
    }

    /// <summary>The open file changed on disk: read it again and let the editor state decide.</summary>
    private async Task CheckDiskAsync()
    {
        if (_editor.Path is not { } path)
        {
            return;
        }

        FileContent? content = null;
        try
        {
            content = await Files.ReadAsync(Sessions.Get(SessionId, Caller), path, Lifetime);
        }
        catch (FileNotFoundInWorkspaceException)
        {
            // Deleted or moved away: a null version says so.
        }
        catch (Exception ex) when (ex is SessionException or IOException or InvalidOperationException)
        {
            _error = ex.Message;
            return;
        }

        if (_editor.OnDisk(content?.Version) == DiskChangeAction.Reload && content is not null)
        {
            await ShowAsync(content, reload: true);
        }
    }

    [JSInvokable]
    public void OnDirtyChanged(bool dirty)
    {
        _editor.Edited(dirty);
        StateHasChanged();
    }

    [JSInvokable]
    public Task OnSaveRequested() => InvokeAsync(SaveAsync);

    private async Task SaveAsync()
    {
        if (_editorHandle is null || _editor.Path is not { } path || !_editor.BeginSave())
        {
            return;
        }

        StateHasChanged();
        SaveResult result;
        try
        {
            result = await _editorHandle.InvokeAsync<SaveResult>("save", WorkspacePaths.ApiUrl(SessionId, path), _editor.Version);
        }
        catch (JSException ex)
        {
            _editor.SaveFailed();
            _error = $"Save failed: {ex.Message}";
            return;
        }

        if (result.Status is >= 200 and < 300 && result.Version is { } version)
        {
            if (_editor.Saved(version, result.Dirty))
            {
                await CheckDiskAsync();
            }
        }
        else if (result.Status == 409)
        {
            _editor.SaveConflicted();
        }
        else
        {
            _editor.SaveFailed();
            _error = result.Status == 0
                ? $"Save failed: {result.Detail} Your text is still here."
                : $"Save failed ({result.Status.ToString(CultureInfo.InvariantCulture)}): {result.Detail} Your text is still here.";
        }
    }

    private async Task ReloadTheirsAsync()
    {
        if (_editor.Path is not { } path)
        {
            return;
        }

        if (_editor.Conflict == EditorConflict.Deleted)
        {
            await CloseEditorAsync();
            return;
        }

        FileContent? content = null;
        if (await RunAsync(async (session, ct) => content = await Files.ReadAsync(session, path, ct)) && content is not null)
        {
            await ShowAsync(content, reload: true);
        }
    }

    private Task OverwriteMineAsync()
    {
        _editor.KeepMine();
        return SaveAsync();
    }

    private async Task CloseEditorAsync()
    {
        if (_editor.Dirty && !await ConfirmAsync("Unsaved changes", $"Close {_editor.Path} without saving?", "Close"))
        {
            return;
        }

        _editor.Close();
        _showEditor = false;
        if (_editorHandle is not null)
        {
            await _editorHandle.InvokeVoidAsync("clear");
        }
    }

    private async Task<bool> ConfirmAsync(string title, string message, string yes) =>
        await Dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: "Cancel") == true;

    /// <summary>What <c>editor.js</c>'s <c>save</c> answers.</summary>
    public sealed record SaveResult(int Status, string? Version, string? Detail, bool Dirty);

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
