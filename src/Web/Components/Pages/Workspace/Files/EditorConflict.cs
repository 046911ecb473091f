namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

/// <summary>Why the editor's text and the disk disagree.</summary>
public enum EditorConflict
{
    None,

    /// <summary>Someone (the agent, a terminal) wrote the file while it had unsaved edits here.</summary>
    ChangedOnDisk,

    /// <summary>The file was deleted or moved away while it was open.</summary>
    Deleted,
}
