using System.Text;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// Reads <c>inotifywait --format '%e%0%w%f%0'</c>: records of two NUL-terminated fields (the event names, such as
/// <c>CLOSE_WRITE,CLOSE</c> or <c>MOVED_TO,ISDIR</c>, and the full path), so any file name, newlines included, parses.
/// A <c>MOVED_FROM</c> followed by a <c>MOVED_TO</c> is one move; a <c>MOVED_FROM</c> left alone (moved out of the
/// workspace, or into an excluded folder) becomes a deletion once <see cref="Expire"/> has seen it twice, and a lone
/// <c>MOVED_TO</c> a creation. Thread-safe: the reader feeds it, the batching timer expires it.
/// </summary>
internal sealed class InotifyParser(Action<FileChange> emit)
{
    private const int MaxField = 16 * 1024;

    private readonly object _gate = new();
    private readonly List<byte> _field = [];
    private string? _events;
    private (string Path, bool IsDirectory)? _movedFrom;
    private bool _movedFromSeen;

    public void Feed(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            foreach (var b in data)
            {
                if (b != 0)
                {
                    // A field longer than any path can be is garbage: drop it rather than grow without bound.
                    if (_field.Count < MaxField)
                    {
                        _field.Add(b);
                    }

                    continue;
                }

                var text = Encoding.UTF8.GetString([.. _field]);
                _field.Clear();
                if (_events is null)
                {
                    _events = text;
                    continue;
                }

                Record(_events, text);
                _events = null;
            }
        }
    }

    /// <summary>Called once per batching tick: a move whose second half did not come within a tick was a move out.</summary>
    public void Expire()
    {
        lock (_gate)
        {
            if (_movedFrom is null)
            {
                return;
            }

            if (_movedFromSeen)
            {
                FlushMovedFrom();
                return;
            }

            _movedFromSeen = true;
        }
    }

    /// <summary><c>/home/dev/workspace/a/b</c> as <c>/a/b</c>; null for anything outside.</summary>
    public static string? Relative(string fullPath)
    {
        if (fullPath == WorkspacePath.Root || fullPath == WorkspacePath.Root + "/")
        {
            return "/";
        }

        return fullPath.StartsWith(WorkspacePath.Root + "/", StringComparison.Ordinal) ? fullPath[WorkspacePath.Root.Length..].TrimEnd('/') : null;
    }

    private void Record(string events, string fullPath)
    {
        if (Relative(fullPath) is not { } path)
        {
            return;
        }

        var names = events.Split(',');
        var isDirectory = names.Contains("ISDIR");
        if (names.Contains("MOVED_TO"))
        {
            if (_movedFrom is { } from)
            {
                _movedFrom = null;
                emit(new FileChange(FileChange.Moved, path, isDirectory, from.Path));
            }
            else
            {
                emit(new FileChange(FileChange.Created, path, isDirectory));
            }

            return;
        }

        FlushMovedFrom();
        if (names.Contains("MOVED_FROM"))
        {
            _movedFrom = (path, isDirectory);
            _movedFromSeen = false;
        }
        else if (names.Contains("CREATE"))
        {
            emit(new FileChange(FileChange.Created, path, isDirectory));
        }
        else if (names.Contains("DELETE"))
        {
            emit(new FileChange(FileChange.Deleted, path, isDirectory));
        }
        else if (names.Contains("CLOSE_WRITE"))
        {
            emit(new FileChange(FileChange.Modified, path, isDirectory));
        }
    }

    private void FlushMovedFrom()
    {
        if (_movedFrom is { } from)
        {
            _movedFrom = null;
            emit(new FileChange(FileChange.Deleted, from.Path, from.IsDirectory));
        }
    }
}
