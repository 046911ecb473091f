using System.Globalization;
using Microsoft.JSInterop;
using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

// The editor side of the Files tab: open files as tabs (one FileEditorState each, one CodeMirror state each in
// editor.js), saving, and following changes on disk.
public sealed partial class FilesPane
{
    private readonly List<FileEditorState> _open = [];
    private readonly FileEditorState _none = new();
    private FileEditorState? _active;
    private bool _opening;

    /// <summary>On a phone the tree and the editor take turns: true while the editor is the one shown.</summary>
    private bool _showEditor;

    /// <summary>The tab shown (an empty state when no file is open).</summary>
    private FileEditorState Shown => _active ?? _none;

    private FileEditorState? OpenFile(string path) => _open.Find(s => s.Path == WorkspacePaths.Normalize(path));

    private async Task OpenAsync(string path)
    {
        if (OpenFile(path) is { } already)
        {
            await ActivateAsync(already);
            return;
        }

        _opening = true;
        try
        {
            FileContent? content = null;
            if (await RunAsync(async (session, ct) => content = await Files.ReadAsync(session, path, ct)) && content is not null)
            {
                var state = new FileEditorState();
                state.Open(content);
                _open.Add(state);
                _active = state;
                _showEditor = true;
                if (state.IsText && _editorHandle is not null)
                {
                    await _editorHandle.InvokeVoidAsync("load", state.Path, content.Text ?? "", WorkspacePaths.Name(content.Path));
                }
            }
        }
        finally
        {
            _opening = false;
        }
    }

    /// <summary>
    /// Files opened before the editor had loaded (a slow or retried script load) get their text once it has: read
    /// again, since only the editor keeps a file's text.
    /// </summary>
    private async Task LoadOpenFilesAsync()
    {
        if (_editorHandle is null || _open.Count == 0)
        {
            return;
        }

        foreach (var state in _open.Where(s => s.IsText && s.Path is not null).ToList())
        {
            FileContent? content = null;
            if (await RunAsync(async (session, ct) => content = await Files.ReadAsync(session, state.Path!, ct)) && content is not null)
            {
                state.Open(content);
                await _editorHandle.InvokeVoidAsync("load", state.Path, content.Text ?? "", WorkspacePaths.Name(content.Path));
            }
        }

        if (_active is { IsText: true, Path: { } active })
        {
            await _editorHandle.InvokeVoidAsync("activate", active);
        }

        StateHasChanged();
    }

    private async Task ActivateAsync(FileEditorState state)
    {
        _active = state;
        _showEditor = true;
        if (state.IsText && _editorHandle is not null)
        {
            await _editorHandle.InvokeVoidAsync("activate", state.Path);
        }
    }

    /// <summary>A tab's file was read again (changed on disk, or "Reload theirs"): new text in place, or no text at all.</summary>
    private async Task ReloadAsync(FileEditorState state, FileContent content)
    {
        var wasText = state.IsText;
        state.Open(content);
        if (_editorHandle is null)
        {
            return;
        }

        if (!state.IsText)
        {
            await _editorHandle.InvokeVoidAsync("close", state.Path);
        }
        else if (wasText)
        {
            await _editorHandle.InvokeVoidAsync("replace", state.Path, content.Text ?? "");
        }
        else
        {
            await _editorHandle.InvokeVoidAsync("load", state.Path, content.Text ?? "", WorkspacePaths.Name(content.Path));
            if (state != _active && _active is { IsText: true } active)
            {
                await _editorHandle.InvokeVoidAsync("activate", active.Path);
            }
        }
    }

    /// <summary>
    /// Offers a batch of notifications to every open file (each notes one seen during its save), then reads those
    /// touched; after a burst too large to name (<paramref name="everything"/>) every open file is read.
    /// </summary>
    private async Task FollowChangesAsync(IReadOnlyList<FileChange> batch, bool everything)
    {
        foreach (var state in _open.ToList())
        {
            var touched = batch.Aggregate(false, (any, c) => state.Changed(c.Path) | (c.OldPath is not null && state.Changed(c.OldPath)) | any)
                | (everything && state.Path is { } path && state.Changed(path));
            if (touched)
            {
                await CheckDiskAsync(state);
            }
        }
    }

    /// <summary>An open file changed on disk: read it again and let its editor state decide.</summary>
    private async Task CheckDiskAsync(FileEditorState state)
    {
        if (state.Path is not { } path)
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

        if (state.OnDisk(content?.Version) == DiskChangeAction.Reload && content is not null)
        {
            await ReloadAsync(state, content);
        }
    }

    [JSInvokable]
    public Task OnDirtyChanged(string path, bool dirty) => InvokeAsync(() =>
    {
        OpenFile(path)?.Edited(dirty);
        StateHasChanged();
    });

    /// <summary>Ctrl/Cmd+S in the editor. Not a Blazor event, so nothing renders after it unless asked: a 409 with no
    /// change notification to cause a render would leave the conflict warning unseen.</summary>
    [JSInvokable]
    public Task OnSaveRequested() => InvokeAsync(async () =>
    {
        await SaveAsync();
        StateHasChanged();
    });

    private async Task SaveAsync()
    {
        if (_editorHandle is null || _active is not { Path: { } path } state || !state.BeginSave())
        {
            return;
        }

        StateHasChanged();
        SaveResult result;
        try
        {
            result = await _editorHandle.InvokeAsync<SaveResult>("save", path, WorkspacePaths.ApiUrl(SessionId, path), state.Version);
        }
        catch (JSException ex)
        {
            state.SaveFailed();
            _error = $"Save failed: {ex.Message}";
            return;
        }

        if (result.Status is >= 200 and < 300 && result.Version is { } version)
        {
            if (state.Saved(version, result.Dirty))
            {
                await CheckDiskAsync(state);
            }
        }
        else if (result.Status == 409)
        {
            state.SaveConflicted();
        }
        else
        {
            state.SaveFailed();
            var status = result.Status == 0 ? "" : $" ({result.Status.ToString(CultureInfo.InvariantCulture)})";
            _error = $"Save failed{status}: {result.Detail} Your text is still here.";
        }
    }

    private async Task ReloadTheirsAsync()
    {
        if (_active is not { Path: { } path } state)
        {
            return;
        }

        if (state.Conflict == EditorConflict.Deleted)
        {
            await CloseAsync(state, ask: false);
            return;
        }

        FileContent? content = null;
        if (await RunAsync(async (session, ct) => content = await Files.ReadAsync(session, path, ct)) && content is not null)
        {
            await ReloadAsync(state, content);
        }
    }

    private Task OverwriteMineAsync()
    {
        _active?.KeepMine();
        return SaveAsync();
    }

    private Task CloseActiveAsync() => _active is { } state ? CloseAsync(state, ask: true) : Task.CompletedTask;

    /// <summary>Closes a tab (asking first when it has unsaved edits); the tab to its left, or else the first, is shown.</summary>
    private async Task CloseAsync(FileEditorState state, bool ask)
    {
        if (ask && state.Dirty && !await ConfirmAsync("Unsaved changes", $"Close {state.Path} without saving?", "Close"))
        {
            return;
        }

        var index = _open.IndexOf(state);
        _open.Remove(state);
        if (_editorHandle is not null && state.Path is not null)
        {
            await _editorHandle.InvokeVoidAsync("close", state.Path);
        }

        if (_active == state)
        {
            _active = null;
            _showEditor = false;
            if (_open.Count > 0)
            {
                await ActivateAsync(_open[Math.Clamp(index - 1, 0, _open.Count - 1)]);
            }
        }
    }

    /// <summary>Tabs follow a rename or move in the tree (a file itself or files inside a moved folder).</summary>
    private async Task FollowMoveAsync(string from, string to)
    {
        var source = WorkspacePaths.Normalize(from);
        foreach (var state in _open.Where(s => s.Path is { } p && WorkspacePaths.IsWithin(p, source)).ToList())
        {
            var old = state.Path!;
            state.Moved(WorkspacePaths.Normalize(to) + old[source.Length..]);
            if (_editorHandle is not null)
            {
                await _editorHandle.InvokeVoidAsync("rename", old, state.Path);
            }
        }
    }

    /// <summary>Tabs of deleted files close without asking: there is nothing left to save them over.</summary>
    private async Task FollowDeleteAsync(string path)
    {
        foreach (var state in _open.Where(s => s.Path is { } p && WorkspacePaths.IsWithin(p, path)).ToList())
        {
            await CloseAsync(state, ask: false);
        }
    }

    /// <summary>What <c>editor.js</c>'s <c>save</c> answers.</summary>
    public sealed record SaveResult(int Status, string? Version, string? Detail, bool Dirty);
}
