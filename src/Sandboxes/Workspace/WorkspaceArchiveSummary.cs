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
    /// <summary>
    /// Every folder an entry goes through or creates, relative to <see cref="RootPath"/> (<c>a</c>, <c>a/b</c>):
    /// none of them may be a symbolic link on disk, or the entry would land wherever that link points.
    /// </summary>
    public IReadOnlyList<string> Folders { get; init; } = [];

    public string RootPath => Root == WorkspaceExtractRoot.Home ? WorkspaceArchiveValidator.HomePath : WorkspaceArchiveValidator.WorkspacePath;
}
