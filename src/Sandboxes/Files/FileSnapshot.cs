using System.Text;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// The polling watcher's view of the workspace: every path (but <c>.git</c> and <c>node_modules</c>) with its type,
/// size, modification time and inode, from <c>find -printf '%y %s %T@ %i\0%P\0'</c>. Two snapshots differ by
/// creations, deletions and modifications; a poll cannot tell a move from a deletion and a creation.
/// </summary>
internal sealed class FileSnapshot
{
    private readonly Dictionary<string, string> _entries;

    private FileSnapshot(Dictionary<string, string> entries) => _entries = entries;

    public int Count => _entries.Count;

    public static FileSnapshot Parse(ReadOnlySpan<byte> output)
    {
        var fields = Encoding.UTF8.GetString(output).Split('\0');
        var entries = new Dictionary<string, string>(fields.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            entries[fields[i + 1]] = fields[i];
        }

        return new FileSnapshot(entries);
    }

    /// <summary>What changed from <paramref name="before"/> to this snapshot. A folder's own time changes with its entries: not reported.</summary>
    public IEnumerable<FileChange> Since(FileSnapshot before)
    {
        foreach (var (path, facts) in _entries)
        {
            if (!before._entries.TryGetValue(path, out var old))
            {
                yield return new FileChange(FileChange.Created, "/" + path, IsDirectory(facts));
            }
            else if (old[0] != facts[0])
            {
                yield return new FileChange(FileChange.Deleted, "/" + path, IsDirectory(old));
                yield return new FileChange(FileChange.Created, "/" + path, IsDirectory(facts));
            }
            else if (old != facts && !IsDirectory(facts))
            {
                yield return new FileChange(FileChange.Modified, "/" + path, false);
            }
        }

        foreach (var (path, facts) in before._entries)
        {
            if (!_entries.ContainsKey(path))
            {
                yield return new FileChange(FileChange.Deleted, "/" + path, IsDirectory(facts));
            }
        }
    }

    private static bool IsDirectory(string facts) => facts.Length > 0 && facts[0] == 'd';
}
