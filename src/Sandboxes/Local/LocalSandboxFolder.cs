using System.Text.RegularExpressions;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// One session's folder, <c>&lt;data&gt;/sandboxes/&lt;sandbox id&gt;/</c>. The server owns the folder, its record and
/// its request folder; the sandbox's uid owns only <c>home</c> (its <c>/home/dev</c>) and <c>tmux</c> (its tmux
/// socket folder, <c>/tmp/tmux-1000</c>). The server never follows a path inside those two: the sandbox could plant
/// symlinks there.
/// </summary>
internal sealed partial class LocalSandboxFolder
{
    public const string Prefix = "remolt-";

    /// <summary>Where the request folder appears inside the sandbox (read-only there).</summary>
    public const string RequestsInside = "/tmp/.remolt/req";

    /// <summary>Where the shared helper files appear inside the sandbox (read-only there).</summary>
    public const string LibInside = "/tmp/.remolt/lib";

    public const string HomeInside = "/home/dev";

    public const string TmuxInside = "/tmp/tmux-1000";

    private LocalSandboxFolder(string sandboxId, string path)
    {
        SandboxId = sandboxId;
        Path = path;
    }

    public string SandboxId { get; }

    public string Path { get; }

    public string StateFile => System.IO.Path.Combine(Path, "sandbox.json");

    public string Home => System.IO.Path.Combine(Path, "home");

    public string Tmux => System.IO.Path.Combine(Path, "tmux");

    /// <summary>The tmux server's socket; only ever connected to, by a client running as the sandbox's uid.</summary>
    public string TmuxSocket => System.IO.Path.Combine(Tmux, "default");

    public string Requests => System.IO.Path.Combine(Path, "req");

    public string ControlFifo => System.IO.Path.Combine(Requests, "control");

    public string Etc => System.IO.Path.Combine(Path, "etc");

    /// <summary>The sandbox's stdout and stderr (its init's and the entrypoint's messages).</summary>
    public string Log => System.IO.Path.Combine(Path, "sandbox.log");

    public static string IdFor(string sessionId) => Prefix + sessionId;

    /// <summary>The folder of a sandbox id, or null for an id this runtime never hands out (nothing to look up).</summary>
    public static LocalSandboxFolder? For(string sandboxesFolder, string sandboxId) =>
        SandboxIdPattern().IsMatch(sandboxId) ? new LocalSandboxFolder(sandboxId, System.IO.Path.Combine(sandboxesFolder, sandboxId)) : null;

    public static bool IsWellFormedSessionId(string sessionId) => SessionIdPattern().IsMatch(sessionId);

    public LocalSandboxState? ReadState() => LocalSandboxState.TryRead(StateFile);

    /// <summary>
    /// Makes the folder with its parts; false when it exists already (another sandbox of the same session). The
    /// folders the sandbox binds must be reachable by its uid, so the chain is searchable (not listable) by others.
    /// </summary>
    public bool TryCreate(int sandboxUid, bool chown, string passwd, string group, string profile)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        LocalNative.Chmod(System.IO.Path.GetDirectoryName(Path)!, Searchable);
        // Directory.CreateDirectory succeeds on an existing folder; mkdir fails, so two creates cannot share one.
        if (!LocalNative.TryMakeDirectory(Path, Searchable))
        {
            return false;
        }

        LocalNative.Chmod(Path, Searchable);
        foreach (var (folder, mode) in new[] { (Home, Private), (Tmux, Private), (Requests, Searchable), (Etc, Searchable) })
        {
            Directory.CreateDirectory(folder);
            LocalNative.Chmod(folder, mode);
        }

        if (chown)
        {
            LocalNative.Chown(Home, sandboxUid, sandboxUid);
            LocalNative.Chown(Tmux, sandboxUid, sandboxUid);
        }

        WriteReadable(System.IO.Path.Combine(Etc, "passwd"), passwd);
        WriteReadable(System.IO.Path.Combine(Etc, "group"), group);
        WriteReadable(System.IO.Path.Combine(Etc, "profile"), profile);
        LocalNative.MakeFifo(ControlFifo, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (chown)
        {
            LocalNative.Chown(ControlFifo, sandboxUid, sandboxUid);
        }

        return true;
    }

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode Searchable = Private | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static void WriteReadable(string path, string text)
    {
        File.WriteAllText(path, text);
        LocalNative.Chmod(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    [GeneratedRegex("^remolt-[a-zA-Z0-9_.-]{1,64}$")]
    private static partial Regex SandboxIdPattern();

    [GeneratedRegex("^[a-zA-Z0-9_.-]{1,64}$")]
    private static partial Regex SessionIdPattern();
}
