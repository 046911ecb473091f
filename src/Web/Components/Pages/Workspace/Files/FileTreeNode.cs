using RemoltBlazor.Sandboxes.Files;

namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

/// <summary>One row of the Files tree. A folder's <see cref="Children"/> is null until it was listed (lazy folders).</summary>
public sealed class FileTreeNode(string path, string type)
{
    public string Path { get; } = WorkspacePaths.Normalize(path);

    public string Name => WorkspacePaths.Name(Path);

    /// <summary><c>file</c>, <c>directory</c> or <c>symlink</c> (<see cref="FileEntry"/>'s types).</summary>
    public string Type { get; internal set; } = type;

    public long Size { get; internal set; }

    public bool IsDirectory => Type == FileEntry.DirectoryType;

    public bool IsSymlink => Type == FileEntry.SymlinkType;

    public bool Expanded { get; internal set; }

    public bool Loading { get; internal set; }

    public List<FileTreeNode>? Children { get; internal set; }

    /// <summary>0 for the workspace's own entries.</summary>
    public int Depth => Path.Count(c => c == '/') - 1;

    /// <summary>An id for aria-activedescendant: paths may hold any character, so a hash of it.</summary>
    public string DomId => "file-" + ((uint)StringComparer.Ordinal.GetHashCode(Path)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
