using System.Diagnostics;
using System.Net.Sockets;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local.Pty;

/// <summary>
/// A process running on a new pseudo-terminal: the PTY is its controlling terminal and its stdin, stdout and stderr,
/// in a session (and process group) of its own. <see cref="Stream"/> is the master side.
/// <para>
/// .NET cannot run code between fork and exec, so the child becomes a session leader the way a shell would:
/// <c>exec setsid -c -w env --default-signal -- PROGRAM ARGS... &lt;&gt;SLAVE &gt;&amp;0 2&gt;&amp;0</c> in <c>sh -c</c>.
/// The shell opens the slave as fd 0-2, <c>setsid -c</c> starts a new session and makes fd 0 its controlling terminal, and <c>env
/// --default-signal</c> undoes the ignored SIGINT/SIGQUIT a server started in the background inherits (Ctrl-C must
/// interrupt). The program and its arguments arrive as positional parameters, never inside the script's text. The
/// server's Process object is not a process group leader, so setsid does not fork: <see cref="ProcessId"/> is the
/// program's own pid, its session id and its process group id (and -w would still pass the exit code on if it did).
/// </para>
/// </summary>
internal sealed class PtyProcess : IAsyncDisposable
{
    // $0 setsid, $1 env, $2 the slave's path, then the program and its arguments.
    private const string Script = "e=$1 t=$2; shift 2; exec \"$0\" -c -w \"$e\" --default-signal -- \"$@\" <>\"$t\" >&0 2>&0";
    private static readonly TimeSpan s_hangupGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_killWait = TimeSpan.FromSeconds(5);
    private static readonly Lazy<(string Shell, string Setsid, string Env)> s_tools = new(FindTools);

    private readonly Process _process;
    private readonly SafeSocketHandle _master;
    private readonly PtyStream _stream;
    private readonly Lock _disposeLock = new();
    private Task? _disposal;

    private PtyProcess(Process process, SafeSocketHandle master, PtyStream stream)
    {
        _process = process;
        _master = master;
        _stream = stream;
        ProcessId = process.Id;
    }

    /// <summary>Read: the terminal's output (0 once nothing holds the terminal any more). Write: its input.</summary>
    public Stream Stream => _stream;

    /// <summary>The program's pid, which is also its process group and session id.</summary>
    public int ProcessId { get; }

    public static PtyProcess Start(PtyStartInfo info)
    {
        ArgumentException.ThrowIfNullOrEmpty(info.FileName);
        // env would take NAME=VALUE as an assignment rather than the program to run.
        if (info.FileName.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A program name cannot contain '=': {info.FileName}", nameof(info));
        }

        var (shell, setsid, env) = s_tools.Value;
        var master = PtyNative.OpenMaster();
        // The stream owns the master from here: disposing it closes the descriptor.
        var stream = new PtyStream(new Socket(master));
        try
        {
            PtyNative.SetSize(master, info.Size.Columns, info.Size.Rows);
            var start = new ProcessStartInfo(shell)
            {
                UseShellExecute = false,
                WorkingDirectory = info.WorkingDirectory,
            };
            foreach (var argument in (string[])["-c", Script, setsid, env, PtyNative.SlaveName(master), info.FileName])
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var argument in info.Arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment.Clear();
            foreach (var (name, value) in info.Environment)
            {
                start.Environment[name] = value;
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException($"{shell} did not start");
            return new PtyProcess(process, master, stream);
        }
        catch
        {
            stream.Dispose();
            master.Dispose();
            throw;
        }
    }

    /// <summary>Sets the terminal's size; the kernel sends SIGWINCH to the terminal's foreground process group.</summary>
    public void Resize(TerminalSize size) => PtyNative.SetSize(_master, size.Columns, size.Rows);

    /// <summary>The program's exit code (128 + the signal number when a signal ended it).</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the program's whole process group (what it started in the background too).</summary>
    public void Kill() => SignalGroup(PtyNative.SIGKILL);

    /// <summary>
    /// Hangs up a running program (SIGHUP to its group, as a closed terminal would), kills the group if it has not
    /// exited within a short grace, then closes the master. Idempotent; never throws.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposeLock)
        {
            _disposal ??= DisposeCoreAsync();
            return new ValueTask(_disposal);
        }
    }

    private async Task DisposeCoreAsync()
    {
        try
        {
            if (!_process.HasExited && SignalGroup(PtyNative.SIGHUP))
            {
                await WaitForExitAsync(s_hangupGrace);
            }

            // Whatever of the group is left (the program, or what it left behind holding the terminal) goes too.
            SignalGroup(PtyNative.SIGKILL);
            await WaitForExitAsync(s_killWait);
        }
        catch (IOException)
        {
            // kill() refused (EPERM: the group is no longer ours); closing the master below still hangs it up.
        }
        finally
        {
            await _stream.DisposeAsync();
            _master.Dispose();
            _process.Dispose();
        }
    }

    private async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // Still running after the grace: the caller escalates, or closing the master hangs it up.
        }
    }

    /// <summary>
    /// Signals the program's process group. Right after <see cref="Start"/> the launcher may not have called setsid
    /// yet: then no such group exists and the pid is the only process (the launcher execs, it never forks), so it is
    /// signalled itself, and the group once more in case setsid happened in between.
    /// </summary>
    private bool SignalGroup(int signal)
    {
        if (PtyNative.Signal(-ProcessId, signal))
        {
            return true;
        }

        if (_process.HasExited)
        {
            return false;
        }

        var sent = PtyNative.Signal(ProcessId, signal);
        return PtyNative.Signal(-ProcessId, signal) || sent;
    }

    private static (string Shell, string Setsid, string Env) FindTools() =>
        (Find("sh"), Find("setsid"), Find("env"));

    private static string Find(string name) =>
        new[] { "/usr/bin", "/bin", "/usr/local/bin" }.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"'{name}' (util-linux/coreutils) is needed to start a terminal and was not found", name);
}
