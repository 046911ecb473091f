namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>Path rules for archive entries, on normalized component lists (no empty, <c>.</c> or <c>..</c> parts).</summary>
internal static class ArchivePath
{
    /// <summary>
    /// Splits an entry name (or a hard link's target) into components, dropping <c>./</c>, empty parts and trailing
    /// slashes. Absolute names and any <c>..</c> are refused outright, even when they would stay inside.
    /// </summary>
    public static string[] Normalize(string entryName, string path)
    {
        if (path.Length == 0)
        {
            throw new WorkspaceArchiveException($"Entry '{entryName}' has an empty path.");
        }

        if (path[0] == '/')
        {
            throw new WorkspaceArchiveException($"Entry '{entryName}' has an absolute path ('{path}').");
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part == "..")
            {
                throw new WorkspaceArchiveException($"Entry '{entryName}' has a '..' component ('{path}').");
            }

            if (part.Length > 0 && part != ".")
            {
                parts.Add(part);
            }
        }

        return [.. parts];
    }

    /// <summary>Where a symlink at <paramref name="path"/> points, relative to the extraction root; refuses escapes.</summary>
    public static string[] ResolveSymlink(string entryName, string[] path, string target)
    {
        if (target.Length == 0)
        {
            throw new WorkspaceArchiveException($"Entry '{entryName}' is a symlink with an empty target.");
        }

        if (target[0] == '/')
        {
            throw new WorkspaceArchiveException($"Entry '{entryName}' is a symlink to an absolute path ('{target}'), outside the workspace.");
        }

        var resolved = new List<string>(path[..^1]);
        foreach (var part in target.Split('/'))
        {
            if (part == "..")
            {
                if (resolved.Count == 0)
                {
                    throw new WorkspaceArchiveException($"Entry '{entryName}' is a symlink to '{target}', outside the workspace.");
                }

                resolved.RemoveAt(resolved.Count - 1);
            }
            else if (part.Length > 0 && part != ".")
            {
                resolved.Add(part);
            }
        }

        return [.. resolved];
    }

    /// <summary>
    /// Extracted at home, only the download's top folders may be reached (not <c>~/.bashrc</c> or <c>~/.remolt</c>);
    /// extracted into <c>~/workspace</c>, anything in it may.
    /// </summary>
    public static void RejectOutside(string entryName, string[] resolved, bool home, string what)
    {
        if (home && (resolved.Length == 0 || !WorkspaceArchiveValidator.HomeFolders.Contains(resolved[0], StringComparer.Ordinal)))
        {
            throw new WorkspaceArchiveException($"Entry '{entryName}' is a {what}, outside the workspace.");
        }
    }

    /// <summary>Refuses a path whose parent folders include a symlink made by an earlier entry (links chained out).</summary>
    public static void RejectThroughSymlink(string entryName, string[] path, HashSet<string> symlinks)
    {
        if (symlinks.Count == 0)
        {
            return;
        }

        for (var i = 1; i < path.Length; i++)
        {
            var prefix = string.Join('/', path[..i]);
            if (symlinks.Contains(prefix))
            {
                throw new WorkspaceArchiveException($"Entry '{entryName}' goes through the symlink '{prefix}' of the same archive.");
            }
        }
    }
}
