using System.Reflection;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// The helper files every local sandbox binds read-only at <see cref="LocalSandboxFolder.LibInside"/>: the image's
/// scripts from container/ (entrypoint, tmux.conf, welcome text, gh wrapper, git credential helper), shipped inside
/// the app, and the runtime's own (the sandbox's init, its command runner, the login profile). Written at start, each
/// file replaced by a rename, so a running sandbox never reads half of one.
/// </summary>
internal static class LocalLib
{
    private const string ResourcePrefix = "RemoltBlazor.Sandboxes.Local.";

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode Executable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static void Write(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "bin"));
        LocalNative.Chmod(folder, Executable);
        LocalNative.Chmod(Path.Combine(folder, "bin"), Executable);
        Write(folder, "remolt-init", Resource("remolt-init"), Executable);
        Write(folder, "remolt-run", Resource("remolt-run"), Executable);
        Write(folder, "remolt-entrypoint", Resource("Image.entrypoint.sh"), Executable);
        Write(folder, "profile.sh", Resource("profile.sh"), Readable);
        Write(folder, "welcome.sh", Resource("Image.welcome.sh"), Readable);
        // The server starts with the sandbox and waits for sessions; the image's tmux would exit with no session.
        Write(folder, "tmux.conf", Resource("Image.tmux.conf") + "\n# Local sandboxes: the server starts before any session.\nset -s exit-empty off\n", Readable);
        Write(folder, "gitconfig", GitConfig, Readable);
        Write(folder, "bin/git-credential-remolt", Resource("Image.git-credential-remolt"), Executable);
        Write(folder, "bin/gh", Resource("Image.gh-wrapper"), Executable);
    }

    /// <summary>The sandbox's system git configuration (GIT_CONFIG_SYSTEM): the host's, plus the image's credential helper.</summary>
    private static string GitConfig =>
        "[include]\n\tpath = /etc/gitconfig\n" +
        string.Concat(new[] { "https://github.com", "https://gist.github.com" }.Select(url =>
            $"[credential \"{url}\"]\n\thelper = {LocalSandboxFolder.LibInside}/bin/git-credential-remolt\n"));

    /// <summary>The host's /etc/profile with the image's profile.d additions after it (the sandbox's /etc/profile).</summary>
    public static string Profile()
    {
        var host = File.Exists("/etc/profile") ? File.ReadAllText("/etc/profile") : "";
        return $"{host}\n# Remolt local sandbox\n. {LocalSandboxFolder.LibInside}/profile.sh\n";
    }

    private static string Resource(string name)
    {
        // The image's scripts are embedded once, as the Docker build's container/ files (the csproj), and read from there.
        var resource = name.StartsWith("Image.", StringComparison.Ordinal) ? "container/" + name["Image.".Length..] : ResourcePrefix + name;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The app lacks its resource {resource}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void Write(string folder, string name, string text, UnixFileMode mode)
    {
        var path = Path.Combine(folder, name);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text);
        LocalNative.Chmod(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }
}
