namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// A file read from the workspace. <see cref="Text"/> is null when the file is binary or larger than the editor's limit:
/// the UI then says so instead of showing garbage. <see cref="Version"/> identifies this content (its SHA-256; for a
/// file too large to read, its size, nanosecond modification time and inode); a write that names it fails with
/// <see cref="FileConflictException"/> if the file changed underneath.
/// </summary>
public sealed record FileContent(string Path, string? Text, bool IsBinary, bool TooLarge, long Size, DateTimeOffset Modified, string Version);

/// <summary>What a write left on disk: the new version to pass to the next write.</summary>
public sealed record FileWritten(string Path, long Size, DateTimeOffset Modified, string Version);

/// <summary>
/// One change inside the workspace seen by inotify in the sandbox. <paramref name="Kind"/> is <c>created</c>,
/// <c>modified</c>, <c>deleted</c> or <c>moved</c> (then <paramref name="OldPath"/> is set). Paths are relative to
/// <c>~/workspace</c>, with a leading <c>/</c>. A burst too large to list (a <c>git checkout</c>, an unzip) arrives as
/// the single change <see cref="Everything"/>: <c>modified</c> of the folder <c>/</c>, meaning "reload what you show".
/// </summary>
public sealed record FileChange(string Kind, string Path, bool IsDirectory, string? OldPath = null)
{
    public const string Created = "created";
    public const string Modified = "modified";
    public const string Deleted = "deleted";
    public const string Moved = "moved";

    /// <summary>Too many changes at once to name them: everything may have changed.</summary>
    public static FileChange Everything { get; } = new(Modified, "/", IsDirectory: true);
}
