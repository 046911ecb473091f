using MudBlazor;

namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

/// <summary>Icons of the tree's rows by type and extension, and a colour class per kind so a long listing scans quickly.</summary>
public static class FileIcons
{
    public static string For(FileTreeNode node) => node switch
    {
        { IsDirectory: true, Expanded: true } => Icons.Material.Filled.FolderOpen,
        { IsDirectory: true } => Icons.Material.Filled.Folder,
        { IsSymlink: true } => Icons.Material.Outlined.Link,
        _ => ForName(node.Name),
    };

    public static string ClassFor(FileTreeNode node) => node switch
    {
        { IsDirectory: true } => "icon folder",
        { IsSymlink: true } => "icon link",
        _ => "icon " + Kind(node.Name),
    };

    public static string ForName(string name) => Kind(name) switch
    {
        "code" => Icons.Material.Outlined.Code,
        "data" => Icons.Material.Outlined.DataObject,
        "doc" => Icons.Material.Outlined.Article,
        "image" => Icons.Material.Outlined.Image,
        "archive" => Icons.Material.Outlined.FolderZip,
        "shell" => Icons.Material.Outlined.Terminal,
        _ => Icons.Material.Outlined.InsertDriveFile,
    };

    /// <summary>A coarse kind from the extension: code, data, doc, image, archive, shell or file.</summary>
    public static string Kind(string name)
    {
        var extension = Path.GetExtension(name).ToLowerInvariant();
        return extension switch
        {
            ".cs" or ".js" or ".mjs" or ".ts" or ".tsx" or ".jsx" or ".py" or ".go" or ".rs" or ".java" or ".kt" or ".c" or ".h"
                or ".cpp" or ".hpp" or ".rb" or ".php" or ".swift" or ".razor" or ".html" or ".css" or ".scss" or ".vue" or ".sql" => "code",
            ".json" or ".yaml" or ".yml" or ".toml" or ".xml" or ".csv" or ".ini" or ".env" or ".lock" or ".csproj" or ".props" => "data",
            ".md" or ".txt" or ".rst" or ".adoc" => "doc",
            ".png" or ".jpg" or ".jpeg" or ".gif" or ".svg" or ".webp" or ".ico" or ".bmp" => "image",
            ".zip" or ".gz" or ".tgz" or ".tar" or ".xz" or ".bz2" or ".7z" or ".zst" => "archive",
            ".sh" or ".bash" or ".zsh" or ".fish" => "shell",
            _ => name is "Dockerfile" or "Makefile" ? "code" : "file",
        };
    }
}
