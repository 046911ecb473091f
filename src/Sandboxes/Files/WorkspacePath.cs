namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// The first of the two confinement layers: a path from a client becomes segments under the workspace, or is refused.
/// <c>/</c> and the empty path are the workspace itself; a leading <c>/</c> means the workspace, not the sandbox's
/// root, so <c>/etc/passwd</c> is <c>~/workspace/etc/passwd</c>. <c>..</c> is refused outright (not resolved), NUL
/// and control characters too. A backslash is an ordinary character on Linux: <c>..\..\x</c> is one harmless name,
/// and refusing it would leave such files (an agent can make them) impossible to open or delete. The second layer,
/// in the sandbox, resolves symbolic links with <c>realpath</c> (see <see cref="FileScripts"/>).
/// </summary>
internal static class WorkspacePath
{
    public const string Root = "/home/dev/workspace";

    private const int MaxLength = 4096;
    private const int MaxSegmentLength = 255;

    /// <summary><c>""</c> for the workspace, else <c>a/b</c> (no leading or trailing slash, no empty or <c>.</c> segments).</summary>
    /// <exception cref="FilePathException">The path is malformed or tries to climb out.</exception>
    public static string Normalize(string? path)
    {
        path ??= "";
        if (path.Length > MaxLength)
        {
            throw new FilePathException($"The path is longer than {MaxLength} characters.");
        }

        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                throw new FilePathException("The path contains a control character.");
            }
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw new FilePathException("'..' is not allowed in a path: paths stay inside the workspace.");
            }

            if (System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentLength)
            {
                throw new FilePathException($"A name in the path is longer than {MaxSegmentLength} bytes.");
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }

    /// <summary>Like <see cref="Normalize"/>, refusing the workspace itself (it cannot be written, deleted or moved).</summary>
    public static string NormalizeEntry(string? path)
    {
        var normalized = Normalize(path);
        return normalized.Length == 0 ? throw new FilePathException("That is the workspace itself; name something in it.") : normalized;
    }

    /// <summary>The path as the API shows it: <c>/</c> or <c>/a/b</c>.</summary>
    public static string Display(string normalized) => "/" + normalized;

    /// <summary>The last segment (the name a download is saved under).</summary>
    public static string Name(string normalized) => normalized[(normalized.LastIndexOf('/') + 1)..];
}
