using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using RemoltBlazor.Sandboxes.Local.Pty;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// Terminal attaches: a tmux client on a PTY of the server's, outside the sandbox, connected to the tmux server inside
/// by its socket in the session folder. <c>tmux -N</c>: an attach never starts a tmux server outside the sandbox (with
/// the sandbox gone it fails instead). The client runs as the sandbox's uid (under a root server too): tmux admits
/// clients of its own uid only, and the client can do nothing the sandbox could not. Detaching is ending the client.
/// The client inherits a handle on the socket (see <see cref="LocalNative.OpenSocketPath"/>) and dials it through
/// /proc/self/fd, so nothing the sandbox puts in its socket folder can send the client elsewhere.
/// </summary>
internal sealed class LocalTerminals(LocalSandboxes sandboxes, ILogger logger)
{
    public async Task<TerminalStream> AttachAsync(string sandboxId, TerminalAttachOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Window);
        await Task.Yield(); // Failures arrive through the task, as every runtime's do.
        cancellationToken.ThrowIfCancellationRequested();
        var (folder, _) = sandboxes.FindRunning(sandboxId);
        // The socket's folder is the sandbox's (tmux makes the socket there): it could put a symlink to another
        // session's socket in its place. The client gets the socket itself, by a handle opened without following links.
        SafeFileHandle socket;
        try
        {
            socket = LocalNative.OpenSocketPath(folder.TmuxSocket);
        }
        catch (IOException ex)
        {
            throw new SandboxRuntimeException($"The tmux server of sandbox {sandboxId} does not answer: {ex.Message}", ex);
        }

        PtyProcess pty;
        using (socket)
        {
            var path = $"/proc/self/fd/{socket.DangerousGetHandle().ToInt32().ToString(CultureInfo.InvariantCulture)}";
            pty = PtyProcess.Start(StartInfo(path, options, sandboxes.ChownTo));
        }

        logger.LogDebug("Terminal {Pid} attached to {Session} in {Sandbox}", pty.ProcessId, options.TmuxSessionName, sandboxId);
        return new LocalTerminalStream(pty);
    }

    /// <param name="runAsUid">The sandbox's uid when the server is root; null: the server's own uid, which the sandbox has.</param>
    internal static PtyStartInfo StartInfo(string socket, TerminalAttachOptions options, int? runAsUid)
    {
        List<string> tmux = ["tmux", "-N", "-S", socket, .. TmuxCommands.AttachArguments(options, LocalSandboxFolder.HomeInside + "/workspace")];
        if (runAsUid is { } uid)
        {
            var id = uid.ToString(CultureInfo.InvariantCulture);
            tmux = ["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--", .. tmux];
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            ["TERM"] = "xterm-256color",
            ["LANG"] = "C.UTF-8",
        };
        return new PtyStartInfo(tmux[0], tmux[1..], environment, "/", options.Size);
    }
}
