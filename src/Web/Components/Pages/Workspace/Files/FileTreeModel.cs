using RemoltBlazor.Sandboxes.Files;

namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

/// <summary>
/// The Files tab's tree of <c>~/workspace</c>, without Blazor: folders are listed lazily (a folder's children are
/// null until its listing arrives), sorted folders first then by name, kept in step with change notifications, and
/// navigated with the keyboard like a WAI-ARIA tree (one selected row; arrows, Home, End, Enter).
/// </summary>
public sealed class FileTreeModel
{
    private static readonly StringComparer NameOrder = StringComparer.OrdinalIgnoreCase;

    public FileTreeNode Root { get; } = new(WorkspacePaths.Root, FileEntry.DirectoryType) { Expanded = true };

    /// <summary>The row the keyboard acts on (and the one highlighted); null before anything is chosen.</summary>
    public string? Selected { get; private set; }

    public FileTreeNode? Find(string path)
    {
        var normalized = WorkspacePaths.Normalize(path);
        if (normalized == WorkspacePaths.Root)
        {
            return Root;
        }

        var parent = Find(WorkspacePaths.Parent(normalized));
        return parent?.Children?.Find(c => c.Path == normalized);
    }

    /// <summary>Puts a folder's listing in place. Sub-folders already listed keep their children and open state.</summary>
    public void SetChildren(string folder, IReadOnlyList<FileEntry> entries)
    {
        if (Find(folder) is not { IsDirectory: true } node)
        {
            return;
        }

        var old = node.Children?.ToDictionary(c => c.Name, StringComparer.Ordinal) ?? [];
        var children = new List<FileTreeNode>(entries.Count);
        foreach (var entry in entries)
        {
            var child = old.TryGetValue(entry.Name, out var kept) && kept.Type == entry.Type
                ? kept
                : new FileTreeNode(WorkspacePaths.Join(node.Path, entry.Name), entry.Type);
            child.Size = entry.Size;
            children.Add(child);
        }

        node.Children = children;
        node.Loading = false;
        Sort(node);
    }

    /// <summary>Opens or closes a folder; true when it opened and still has to be listed.</summary>
    public bool Toggle(string path)
    {
        if (Find(path) is not { IsDirectory: true } node)
        {
            return false;
        }

        node.Expanded = !node.Expanded;
        return node.Expanded && NeedsListing(node);
    }

    /// <summary>Opens a folder; true when it still has to be listed.</summary>
    public bool Expand(string path)
    {
        if (Find(path) is not { IsDirectory: true } node)
        {
            return false;
        }

        node.Expanded = true;
        return NeedsListing(node);
    }

    private static bool NeedsListing(FileTreeNode node)
    {
        if (node.Children is not null || node.Loading)
        {
            return false;
        }

        node.Loading = true;
        return true;
    }

    /// <summary>A listing failed: the folder closes again, so opening it later tries once more.</summary>
    public void ListingFailed(string folder)
    {
        if (Find(folder) is { } node)
        {
            node.Loading = false;
            node.Expanded = node.Children is not null && node.Expanded;
        }
    }

    /// <summary>Rows shown, top to bottom: the workspace's entries and, under every open folder, its own.</summary>
    public IReadOnlyList<FileTreeNode> Visible()
    {
        var rows = new List<FileTreeNode>();
        AddVisible(Root, rows);
        return rows;
    }

    private static void AddVisible(FileTreeNode folder, List<FileTreeNode> rows)
    {
        foreach (var child in folder.Children ?? [])
        {
            rows.Add(child);
            if (child is { IsDirectory: true, Expanded: true })
            {
                AddVisible(child, rows);
            }
        }
    }

    /// <summary>Folders whose listing is shown: what a refresh lists again.</summary>
    public IReadOnlyList<string> ListedFolders()
    {
        var folders = new List<string> { Root.Path };
        folders.AddRange(Visible().Where(n => n is { IsDirectory: true, Expanded: true, Children: not null }).Select(n => n.Path));
        return folders;
    }

    public void Select(string? path) => Selected = path is null ? null : WorkspacePaths.Normalize(path);

    /// <summary>
    /// Follows a batch of change notifications: created entries appear in listed folders, deleted ones go (with the
    /// selection if it was inside), moved ones do both. Folders not listed yet are left alone: they are listed when
    /// opened. Content changes do not alter the tree. True when the batch is <see cref="FileChange.Everything"/> (a burst
    /// too large to name): then every listed folder must be listed again.
    /// </summary>
    public bool Apply(IReadOnlyList<FileChange> changes)
    {
        var everything = false;
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case FileChange.Modified when change == FileChange.Everything:
                    everything = true;
                    break;
                case FileChange.Created:
                    Add(change.Path, change.IsDirectory);
                    break;
                case FileChange.Deleted:
                    Remove(change.Path);
                    break;
                case FileChange.Moved:
                    if (change.OldPath is not null)
                    {
                        Remove(change.OldPath);
                    }

                    Add(change.Path, change.IsDirectory);
                    break;
            }
        }

        return everything;
    }

    private void Add(string path, bool isDirectory)
    {
        var normalized = WorkspacePaths.Normalize(path);
        if (normalized == WorkspacePaths.Root || Find(WorkspacePaths.Parent(normalized)) is not { Children: { } siblings } parent
            || siblings.Exists(c => c.Path == normalized))
        {
            return;
        }

        siblings.Add(new FileTreeNode(normalized, isDirectory ? FileEntry.DirectoryType : FileEntry.FileType));
        Sort(parent);
    }

    private void Remove(string path)
    {
        var normalized = WorkspacePaths.Normalize(path);
        if (Find(WorkspacePaths.Parent(normalized)) is { Children: { } siblings })
        {
            siblings.RemoveAll(c => c.Path == normalized);
        }

        if (Selected is not null && WorkspacePaths.IsWithin(Selected, normalized))
        {
            Selected = null;
        }
    }

    private static void Sort(FileTreeNode folder) =>
        folder.Children?.Sort((a, b) => a.IsDirectory != b.IsDirectory
            ? (a.IsDirectory ? -1 : 1)
            : NameOrder.Compare(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Name, b.Name));

    /// <summary>
    /// A key pressed on the tree (WAI-ARIA tree pattern): Up/Down move, Home/End jump, Right opens a folder or goes to
    /// its first child, Left closes it or goes to the parent, Enter opens the file or toggles the folder.
    /// </summary>
    public TreeKeyResult OnKey(string key)
    {
        var rows = Visible();
        if (rows.Count == 0)
        {
            return TreeKeyResult.None;
        }

        var index = Selected is null ? -1 : IndexOf(rows, Selected);
        var current = index >= 0 ? rows[index] : null;
        switch (key)
        {
            case "ArrowDown":
                Selected = rows[Math.Min(index + 1, rows.Count - 1)].Path;
                return TreeKeyResult.None;
            case "ArrowUp":
                Selected = rows[Math.Max(index - 1, 0)].Path;
                return TreeKeyResult.None;
            case "Home":
                Selected = rows[0].Path;
                return TreeKeyResult.None;
            case "End":
                Selected = rows[^1].Path;
                return TreeKeyResult.None;
            case "ArrowRight" when current is { IsDirectory: true }:
                if (!current.Expanded)
                {
                    return Expand(current.Path) ? TreeKeyResult.List(current.Path) : TreeKeyResult.None;
                }

                if (current.Children is [var first, ..])
                {
                    Selected = first.Path;
                }

                return TreeKeyResult.None;
            case "ArrowLeft" when current is not null:
                if (current is { IsDirectory: true, Expanded: true })
                {
                    current.Expanded = false;
                }
                else if (current.Depth > 0)
                {
                    Selected = WorkspacePaths.Parent(current.Path);
                }

                return TreeKeyResult.None;
            case "Enter" or " " when current is not null:
                if (current.IsDirectory)
                {
                    return Toggle(current.Path) ? TreeKeyResult.List(current.Path) : TreeKeyResult.None;
                }

                return TreeKeyResult.Open(current.Path);
            default:
                return TreeKeyResult.None;
        }
    }

    private static int IndexOf(IReadOnlyList<FileTreeNode> rows, string path)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Path == path)
            {
                return i;
            }
        }

        return -1;
    }
}
