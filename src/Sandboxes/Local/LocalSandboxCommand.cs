using System.Globalization;
using RemoltBlazor.Sandboxes.Local.Tools;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// The command line that starts a sandbox: <c>setsid</c> (its own session: it outlives the server, no
/// <c>--die-with-parent</c>), as root <c>setpriv</c> to the unprivileged sandbox uid (no capabilities, no groups,
/// no_new_privs), then <c>bwrap</c>: the host's root read-only; private /tmp, /proc, /dev; own user, PID, IPC and UTS
/// namespaces; the data folder, the server's files and the users' homes hidden under empty tmpfs before the session's
/// own folders are bound in; a clean environment.
/// </summary>
internal static class LocalSandboxCommand
{
    /// <summary>The user's PATH inside: npm globals, the agent's installed tools, the image's helpers (gh wrapper, credential helper), the host's tools.</summary>
    public const string SandboxPath =
        "/home/dev/.local/bin:" + LocalToolFolders.Inside + "/bin:" + LocalSandboxFolder.LibInside + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Sockets that would hand a sandbox the host (a server in the docker group keeps that group in its sandboxes).</summary>
    private static readonly string[] s_hiddenSockets = ["/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock"];

    /// <param name="runAsUid">The host uid to drop to before bwrap; null when the server is not root (it runs as itself).</param>
    /// <param name="hidden">Folders covered by an empty tmpfs (data folder, the server's files, homes); missing ones are skipped.</param>
    /// <param name="toolFolder">The agent's installed tools (<see cref="LocalToolFolders"/>), bound read-only; null when it has none.</param>
    public static IReadOnlyList<string> Arguments(
        LocalSandboxFolder folder,
        string libFolder,
        string hostname,
        bool isolatedNetwork,
        int? runAsUid,
        IReadOnlyList<string> hidden,
        IReadOnlyDictionary<string, string> env,
        string? toolFolder = null)
    {
        var args = new List<string> { "setsid" };
        if (runAsUid is { } uid)
        {
            var id = uid.ToString(CultureInfo.InvariantCulture);
            args.AddRange(["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--"]);
        }

        args.AddRange([
            "bwrap",
            "--unshare-user", "--uid", "1000", "--gid", "1000",
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        ]);
        if (isolatedNetwork)
        {
            args.Add("--unshare-net");
        }

        args.AddRange([
            "--hostname", hostname,
            "--ro-bind", "/", "/",
            "--proc", "/proc",
            "--dev", "/dev",
            "--tmpfs", "/tmp",
            "--tmpfs", "/home",
        ]);
        foreach (var path in hidden.Where(Directory.Exists).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            args.AddRange(["--tmpfs", path]);
        }

        // bwrap binds onto a path it resolves itself: skip spellings through a symlinked folder (/var/run is /run).
        foreach (var socket in s_hiddenSockets.Where(s => File.Exists(s) && new DirectoryInfo(Path.GetDirectoryName(s)!).LinkTarget is null))
        {
            args.AddRange(["--ro-bind", "/dev/null", socket]);
        }

        if (toolFolder is not null)
        {
            args.AddRange(["--ro-bind", toolFolder, LocalToolFolders.Inside]);
        }

        args.AddRange([
            "--bind", folder.Home, LocalSandboxFolder.HomeInside,
            "--bind", folder.Tmux, LocalSandboxFolder.TmuxInside,
            "--ro-bind", libFolder, LocalSandboxFolder.LibInside,
            "--ro-bind", folder.Requests, LocalSandboxFolder.RequestsInside,
            "--ro-bind", Path.Combine(folder.Etc, "passwd"), "/etc/passwd",
            "--ro-bind", Path.Combine(folder.Etc, "group"), "/etc/group",
            "--ro-bind", Path.Combine(folder.Etc, "profile"), "/etc/profile",
            "--chdir", LocalSandboxFolder.HomeInside,
            "--new-session",
            "--cap-drop", "ALL",
            "--clearenv",
        ]);
        foreach (var (key, value) in Environment(env))
        {
            args.AddRange(["--setenv", key, value]);
        }

        args.Add(LocalSandboxFolder.LibInside + "/remolt-init");
        return args;
    }

    /// <summary>The sandbox's environment: the spec's (never secrets), then what the image's ENV lines set.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Environment(IReadOnlyDictionary<string, string> env)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["TERM"] = "xterm-256color",
        };
        foreach (var (key, value) in env)
        {
            all[key] = value;
        }

        all["HOME"] = LocalSandboxFolder.HomeInside;
        all["USER"] = "dev";
        all["LOGNAME"] = "dev";
        all["SHELL"] = "/bin/bash";
        all["LANG"] = "C.UTF-8";
        all["PATH"] = SandboxPath;
        all["NPM_CONFIG_PREFIX"] = "/home/dev/.local";
        all["GIT_CONFIG_SYSTEM"] = LocalSandboxFolder.LibInside + "/gitconfig";
        // Dockerfile.agent's: agents would update themselves in place (the read-only tool folder); the install is the version.
        all["DISABLE_AUTOUPDATER"] = "1";
        all["DISABLE_INSTALLATION_CHECKS"] = "1";
        return all;
    }
}
