namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>Where a validated archive is extracted, relative to the sandbox user's home.</summary>
public enum WorkspaceExtractRoot
{
    /// <summary>Every entry starts with <c>workspace/</c> or <c>.openclaw/</c> (a downloaded workspace): extract at <c>/home/dev</c>.</summary>
    Home,

    /// <summary>Anything else (a plain project archive): extract into <c>/home/dev/workspace</c>.</summary>
    Workspace,
}

/// <param name="Root">Where the entries go.</param>
/// <param name="Entries">Files, folders and links in the archive.</param>
/// <param name="UnpackedBytes">The sum of the regular files' sizes.</param>
public sealed record WorkspaceArchiveSummary(WorkspaceExtractRoot Root, int Entries, long UnpackedBytes)
{
    public string RootPath => Root == WorkspaceExtractRoot.Home ? WorkspaceArchiveValidator.HomePath : WorkspaceArchiveValidator.WorkspacePath;
}
