using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local.Pty;

/// <summary>
/// What <see cref="PtyProcess.Start"/> runs. <paramref name="Environment"/> is the child's whole environment: nothing
/// is inherited from the server, whose variables may hold secrets (PATH too: set it when the program relies on it).
/// <paramref name="FileName"/> is looked up on that PATH (or /bin:/usr/bin without one) unless it holds a slash.
/// </summary>
internal sealed record PtyStartInfo(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    TerminalSize Size);
