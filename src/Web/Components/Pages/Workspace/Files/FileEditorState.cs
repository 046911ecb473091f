using RemoltBlazor.Sandboxes.Files;

namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

/// <summary>
/// One open file (an editor tab) of the Files tab, without Blazor or JS: which version of it the editor holds, whether it has unsaved
/// edits, and what to do when the file changes on disk. Rules: a change underneath a clean editor reloads it silently;
/// underneath unsaved edits (seen by a notification or by a 409 on save) it is a conflict the user settles, "Reload
/// theirs" or "Overwrite with mine". A change seen while a save is in flight is checked once the save answers, since
/// the notification may well be that save's own write.
/// </summary>
public sealed class FileEditorState
{
    private bool _checkAfterSave;

    public string? Path { get; private set; }

    /// <summary>The version the editor's text was read at or last saved as; a save names it (409 if the disk moved on).</summary>
    public string? Version { get; private set; }

    public bool IsBinary { get; private set; }

    public bool TooLarge { get; private set; }

    public long Size { get; private set; }

    /// <summary>True when the editor holds text (neither binary nor too large).</summary>
    public bool IsText => Path is not null && !IsBinary && !TooLarge;

    public bool Dirty { get; private set; }

    public bool Saving { get; private set; }

    public EditorConflict Conflict { get; private set; }

    public void Open(FileContent content)
    {
        Path = WorkspacePaths.Normalize(content.Path);
        Version = content.Version;
        IsBinary = content.IsBinary;
        TooLarge = content.TooLarge;
        Size = content.Size;
        Dirty = false;
        Saving = false;
        _checkAfterSave = false;
        Conflict = EditorConflict.None;
    }

    /// <summary>The editor reported whether its text differs from what was read or saved.</summary>
    public void Edited(bool dirty) => Dirty = dirty && IsText;

    /// <summary>True when a save may start now; <see cref="Version"/> is what it sends (null with <paramref name="overwrite"/>).</summary>
    public bool BeginSave()
    {
        if (!IsText || Saving)
        {
            return false;
        }

        Saving = true;
        return true;
    }

    /// <summary>
    /// The save was written as <paramref name="version"/>; <paramref name="stillDirty"/> when the user typed on while it
    /// ran. True when a change notification arrived meanwhile and the file must be read again to compare versions.
    /// </summary>
    public bool Saved(string version, bool stillDirty)
    {
        Saving = false;
        Version = version;
        Dirty = stillDirty;
        Conflict = EditorConflict.None;
        var check = _checkAfterSave;
        _checkAfterSave = false;
        return check;
    }

    /// <summary>The server refused the save with 409: the file changed since <see cref="Version"/>.</summary>
    public void SaveConflicted()
    {
        Saving = false;
        _checkAfterSave = false;
        Conflict = EditorConflict.ChangedOnDisk;
    }

    /// <summary>Any other failure: the text stays in the editor, still dirty, to be saved again.</summary>
    public void SaveFailed()
    {
        Saving = false;
        _checkAfterSave = false;
    }

    /// <summary>A notification named the open file: true when the pane should read it again (then call <see cref="OnDisk"/>).</summary>
    public bool Changed(string path)
    {
        if (Path is null || WorkspacePaths.Normalize(path) != Path)
        {
            return false;
        }

        if (Saving)
        {
            _checkAfterSave = true;
            return false;
        }

        return true;
    }

    /// <summary>
    /// What is on disk now (<paramref name="version"/>; null when the file is gone): nothing to do when it is the
    /// editor's version, reload when the editor is clean, a conflict when it holds unsaved edits.
    /// </summary>
    public DiskChangeAction OnDisk(string? version)
    {
        if (Path is null || (version is not null && version == Version))
        {
            return DiskChangeAction.None;
        }

        if (version is null)
        {
            Conflict = EditorConflict.Deleted;
            return DiskChangeAction.ShowConflict;
        }

        if (Dirty)
        {
            Conflict = EditorConflict.ChangedOnDisk;
            return DiskChangeAction.ShowConflict;
        }

        return DiskChangeAction.Reload;
    }

    /// <summary>"Overwrite with mine": the next save sends no version, so the server does not check it.</summary>
    public void KeepMine()
    {
        Conflict = EditorConflict.None;
        Version = null;
    }

    /// <summary>The editor was moved along with its file (a rename in the tree).</summary>
    public void Moved(string newPath) => Path = WorkspacePaths.Normalize(newPath);
}
