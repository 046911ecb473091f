using System.Diagnostics;
using System.Text;
using RemoltBlazor.Sandboxes.Images;

namespace RemoltBlazor.Sandboxes.Local.Tools;

/// <summary>
/// One run of an agent's install in a bubblewrap sandbox made exactly like a session's (<see cref="LocalSandboxCommand"/>:
/// read-only host root, private /tmp, /proc, /dev, own user, PID, IPC and UTS namespaces, the data folder and the
/// server's files hidden, the sandbox uid, no capabilities, a clean environment), on the host network whatever
/// <c>REMOLT_LOCAL_NETWORK</c> says (it downloads the agent), with a throwaway home and the new tool folder bound
/// writable at <see cref="LocalToolFolders.Inside"/>, where <c>NPM_CONFIG_PREFIX</c> points. Unlike a session it is
/// the server's child and dies with it (<c>--die-with-parent</c>), and gets no session settings or secrets.
/// </summary>
internal static class LocalToolInstall
{
    /// <summary>Lines longer than this are cut (an install printing megabytes without a newline stays bounded).</summary>
    private const int MaxLineLength = 4096;

    private const int TailLines = 20;

    private const string ScriptFile = "install.sh";

    private const string RunnerFile = "run.sh";

    /// <summary>Runs the install in <paramref name="work"/> (a session-like folder) into <paramref name="tools"/>, streaming each line.</summary>
    /// <param name="extraCa">A CA bundle on the host the install's HTTPS must trust (an intercepting proxy's), or null.</param>
    /// <exception cref="ImageBuildException">The install exited with an error; its last lines are in the exception.</exception>
    public static async Task RunAsync(
        LocalSandboxes sandboxes,
        LocalOptions options,
        LocalSandboxFolder work,
        string tools,
        LocalAgentInstall install,
        string? extraCa,
        IImageBuildReporter reporter,
        CancellationToken cancellationToken)
    {
        WriteScripts(work, install);
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["AGENT_ID"] = install.AgentId };
        if (extraCa is not null)
        {
            // Node keeps its own CA list; npm's HTTPS through an intercepting proxy needs the proxy's CA added.
            env["NODE_EXTRA_CA_CERTS"] = extraCa;
        }

        var args = LocalSandboxCommand.Arguments(work, options.LibFolder, LocalRuntime.NewHostname(), isolatedNetwork: false, sandboxes.ChownTo, sandboxes.Hidden, env).ToList();
        // The last argument is the session's init; an install runs its script instead, and nothing of it outlives the server.
        args.RemoveAt(args.Count - 1);
        args.AddRange([
            "--die-with-parent",
            "--bind", tools, LocalToolFolders.Inside,
            "--setenv", "NPM_CONFIG_PREFIX", LocalToolFolders.Inside,
            "/bin/bash", $"{LocalSandboxFolder.RequestsInside}/{RunnerFile}",
        ]);

        var tail = new Queue<string>();
        void OnLine(string line)
        {
            lock (tail)
            {
                tail.Enqueue(line);
                while (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }
            }

            reporter.Line(line);
        }

        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = await StartAsync(args, finished.Task);
        try
        {
            using var kill = cancellationToken.Register(() => Kill(process));
            var stdout = PumpAsync(process.StandardOutput, OnLine);
            var stderr = PumpAsync(process.StandardError, OnLine);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(stdout, stderr);
        }
        finally
        {
            // Lets the starting thread end (before the process is disposed: it never touches it again).
            finished.TrySetResult();
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            string[] output;
            lock (tail)
            {
                output = [.. tail];
            }

            var shown = output.Length == 0 ? "" : $" Its output ended with:\n{string.Join('\n', output.TakeLast(10))}";
            throw new ImageBuildException(
                $"Installing agent '{install.AgentId}' ({install.Source}) failed with exit code {process.ExitCode}.{shown}", $"install {install.AgentId}", output);
        }
    }

    /// <summary>The install script and its runner, in the server-owned request folder (read-only inside).</summary>
    private static void WriteScripts(LocalSandboxFolder work, LocalAgentInstall install)
    {
        var readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.WriteAllBytes(Path.Combine(work.Requests, ScriptFile), install.Script);
        LocalNative.Chmod(Path.Combine(work.Requests, ScriptFile), readable);
        // As Dockerfile.agent's RUN: say which install runs (never what it contains), then run it with bash, in home.
        File.WriteAllText(Path.Combine(work.Requests, RunnerFile),
            "exec 2>&1\n" +
            $"echo 'remolt: running {install.Source}'\n" +
            $"cd {LocalSandboxFolder.HomeInside}\n" +
            $"exec /bin/bash {LocalSandboxFolder.RequestsInside}/{ScriptFile}\n");
        LocalNative.Chmod(Path.Combine(work.Requests, RunnerFile), readable);
    }

    /// <summary>
    /// Starts the install from a thread of its own that lives until <paramref name="finished"/>: --die-with-parent is
    /// the kernel's parent death signal, which fires when the thread that forked the process ends, and a pool thread
    /// may end any time.
    /// </summary>
    private static Task<Process> StartAsync(IReadOnlyList<string> args, Task finished)
    {
        var info = new ProcessStartInfo(args[0])
        {
            UseShellExecute = false,
            WorkingDirectory = "/",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        // bwrap clears the sandbox's environment anyway; the tools before it need only a PATH.
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Process process;
            try
            {
                process = Process.Start(info) ?? throw new ImageBuildException("bwrap did not start.");
                process.StandardInput.Close();
            }
            catch (Exception ex)
            {
                started.SetException(ex);
                return;
            }

            started.SetResult(process);
            finished.Wait();
        })
        {
            IsBackground = true,
            Name = "remolt-tool-install",
        };
        thread.Start();
        return started.Task;
    }

    private static void Kill(Process process)
    {
        try
        {
            // The outer bwrap and what the host sees below it; --die-with-parent takes the sandbox's PID namespace along.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }
    }

    /// <summary>Splits the output into non-empty lines (on \n, and on \r as progress bars use it), each at most <see cref="MaxLineLength"/>.</summary>
    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            foreach (var c in buffer.AsSpan(0, read))
            {
                if (c is '\n' or '\r')
                {
                    if (line.Length > 0)
                    {
                        onLine(line.ToString());
                        line.Clear();
                    }
                }
                else if (line.Length < MaxLineLength)
                {
                    line.Append(c);
                }
            }
        }

        if (line.Length > 0)
        {
            onLine(line.ToString());
        }
    }
}
