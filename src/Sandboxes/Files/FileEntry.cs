namespace RemoltBlazor.Sandboxes.Files;

/// <summary>One entry of a workspace folder, as <c>GET /api/sessions/{id}/files?path=</c> lists it (the cc-prod seed's shape).</summary>
/// <param name="Name">The entry's name within its folder.</param>
/// <param name="Type"><c>file</c>, <c>directory</c> or <c>symlink</c> (a link is listed, never followed out of the workspace).</param>
/// <param name="Size">Bytes (0 for folders).</param>
/// <param name="Modified">Last modification time.</param>
public sealed record FileEntry(string Name, string Type, long Size, DateTimeOffset Modified)
{
    public const string FileType = "file";
    public const string DirectoryType = "directory";
    public const string SymlinkType = "symlink";
}
