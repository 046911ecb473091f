using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using RemoltBlazor.Sandboxes.Local.Limits;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>Starting a sandbox's bwrap process and waiting until its init serves commands.</summary>
internal static class LocalSandboxLauncher
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts the sandbox in the background of a short-lived bash, never as the server's child (so it is never left a
    /// zombie of the server's, and it is the same orphan before and after a server restart). The background process
    /// waits on the session's start gate (a FIFO) until the server has put it into its cgroup (before it forks
    /// anything, so all of the sandbox is counted and limited) and sent the arguments that show the sandbox its own
    /// group; then it becomes bwrap (same pid: setsid, setpriv and bwrap each exec the next). Its output goes to the
    /// sandbox's log (never to the server's pipes: it outlives the server), it gets no stdin, and the environment is
    /// empty but for PATH (bwrap clears it anyway). Returns its pid.
    /// </summary>
    public static async Task<int> StartAsync(LocalSandboxFolder folder, IReadOnlyList<string> args, ISandboxCgroup cgroup)
    {
        const string Script =
            "log=$0; gate=$1; shift; " +
            "( mapfile -t extra < \"$gate\"; " +
            // Nothing but stdin, stdout and stderr goes in: bwrap passes on every descriptor it inherits, and one a
            // server thread opened without O_CLOEXEC (a terminal attach's socket handle) must never reach a sandbox.
            "for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; case $fd in 0|1|2) ;; *) eval \"exec $fd>&-\" 2>/dev/null ;; esac; done; " +
            "exec \"${@:1:$#-1}\" \"${extra[@]}\" \"${@: -1}\" ) </dev/null >>\"$log\" 2>&1 & echo $!";
        var gate = Path.Combine(folder.Path, "start");
        LocalNative.MakeFifo(gate, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var info = new ProcessStartInfo("/bin/bash") { UseShellExecute = false, WorkingDirectory = "/", RedirectStandardOutput = true };
        foreach (var arg in (string[])["-c", Script, folder.Log, gate, .. args])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        int pid;
        using (var shell = Process.Start(info) ?? throw new SandboxRuntimeException("bash did not start."))
        {
            var line = await shell.StandardOutput.ReadLineAsync();
            await shell.WaitForExitAsync();
            pid = int.TryParse(line, out var id) ? id : throw new SandboxRuntimeException($"Starting bwrap failed: {LogTail(folder)}");
        }

        try
        {
            cgroup.Add(pid);
            // Not a blocking open: a waiter that died first would leave it waiting for ever.
            SafeFileHandle? writer;
            for (var tries = 0; (writer = LocalNative.TryOpenFifoForWriting(gate)) is null; tries++)
            {
                if (tries > 500 || LocalProcesses.StartTime(pid) is null)
                {
                    throw new SandboxRuntimeException($"The sandbox's start gate was never opened: {LogTail(folder)}");
                }

                await Task.Delay(10);
            }

            // A few hundred bytes: far below what a pipe holds, so this write does not wait.
            using var release = new FileStream(writer, FileAccess.Write, bufferSize: 0);
            release.Write(System.Text.Encoding.UTF8.GetBytes(string.Concat(LocalCgroupView.BindArguments(pid).Select(a => a + "\n"))));
        }
        catch
        {
            // Still waiting at the gate: it never became the sandbox.
            try
            {
                using var waiting = Process.GetProcessById(pid);
                waiting.Kill();
            }
            catch (ArgumentException)
            {
                // Gone already.
            }

            throw;
        }
        finally
        {
            File.Delete(gate);
        }

        return pid;
    }

    /// <summary>Ready when the init holds its control FIFO and tmux's socket is there.</summary>
    public static async Task WaitReadyAsync(LocalSandboxFolder folder, LocalSandboxState state, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (File.Exists(folder.TmuxSocket))
            {
                using var control = LocalNative.TryOpenFifoForWriting(folder.ControlFifo);
                if (control is not null)
                {
                    return;
                }
            }

            if (!LocalSandboxes.IsRunning(state))
            {
                throw new SandboxRuntimeException($"The sandbox exited while starting: {LogTail(folder)}");
            }

            if (deadline.Elapsed > s_readyTimeout)
            {
                throw new SandboxRuntimeException($"The sandbox did not start within {s_readyTimeout.TotalSeconds:0} s: {LogTail(folder)}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public static string LogTail(LocalSandboxFolder folder)
    {
        try
        {
            var text = File.ReadAllText(folder.Log).Trim();
            return text.Length > 2000 ? text[^2000..] : text;
        }
        catch (IOException)
        {
            return "(no output)";
        }
    }
}
