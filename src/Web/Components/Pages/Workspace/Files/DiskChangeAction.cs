namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

/// <summary>What the Files pane does about a change on disk to the open file (decided by <see cref="FileEditorState"/>).</summary>
public enum DiskChangeAction
{
    None,
    Reload,
    ShowConflict,
}
