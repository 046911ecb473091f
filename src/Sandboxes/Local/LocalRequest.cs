using System.Security.Cryptography;
using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// One command run in a sandbox by its init (see Scripts/remolt-init): a server-owned folder of FIFOs (stdin, stdout,
/// stderr, status) in the session's request folder, which the sandbox sees read-only, and a "run ID" line on the
/// control FIFO. Disposal asks the init to kill the command's whole session and deletes the folder.
/// </summary>
internal sealed class LocalRequest : IAsyncDisposable
{
    private static readonly TimeSpan s_openTimeout = TimeSpan.FromSeconds(30);
    private readonly LocalSandboxFolder _folder;
    private readonly string _id;
    private readonly string _path;
    private int _disposed;

    private LocalRequest(LocalSandboxFolder folder, string id, FileStream stdin, FileStream stdout, FileStream stderr, FileStream status)
    {
        _folder = folder;
        _id = id;
        _path = Path.Combine(folder.Requests, id);
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
        Status = status;
    }

    public FileStream Stdin { get; }

    public FileStream Stdout { get; }

    public FileStream Stderr { get; }

    private FileStream Status { get; }

    /// <param name="chownTo">The sandbox's uid when the server is root (the FIFOs must be the sandbox's to open); else null.</param>
    public static async Task<LocalRequest> StartAsync(LocalSandboxFolder folder, IReadOnlyList<string> command, int? chownTo, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(command.Count);
        cancellationToken.ThrowIfCancellationRequested();
        var id = RandomNumberGenerator.GetHexString(16, lowercase: true);
        var path = Path.Combine(folder.Requests, id);
        Directory.CreateDirectory(path);
        LocalNative.Chmod(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var opened = new List<Task<FileStream>>();
        try
        {
            var argv = Path.Combine(path, "argv");
            await File.WriteAllBytesAsync(argv, Encoding.UTF8.GetBytes(string.Concat(command.Select(a => a + "\0"))), cancellationToken);
            LocalNative.Chmod(argv, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            foreach (var name in new[] { "stdin", "stdout", "stderr", "status" })
            {
                LocalNative.MakeFifo(Path.Combine(path, name), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                if (chownTo is { } uid)
                {
                    LocalNative.Chown(Path.Combine(path, name), uid, uid);
                }
            }

            // Each open waits for the runner's; all four at once, in the runner's order or not.
            opened.Add(OpenAsync(path, "stdin", write: true));
            opened.Add(OpenAsync(path, "stdout", write: false));
            opened.Add(OpenAsync(path, "stderr", write: false));
            opened.Add(OpenAsync(path, "status", write: false));
            Send(folder, $"run {id}");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_openTimeout);
            try
            {
                await Task.WhenAll(opened).WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SandboxRuntimeException($"Sandbox {folder.SandboxId} did not start a command within {s_openTimeout.TotalSeconds:0} s.");
            }

            return new LocalRequest(folder, id, opened[0].Result, opened[1].Result, opened[2].Result, opened[3].Result);
        }
        catch
        {
            TrySend(folder, $"kill {id}");
            string[] names = ["stdin", "stdout", "stderr", "status"];
            for (var i = 0; i < opened.Count; i++)
            {
                // Until the open has returned: a release before the open began would not reach it.
                while (!opened[i].IsCompleted)
                {
                    LocalNative.ReleaseFifo(Path.Combine(path, names[i]));
                    await Task.WhenAny(opened[i], Task.Delay(10, CancellationToken.None));
                }

                if (opened[i].IsCompletedSuccessfully)
                {
                    await opened[i].Result.DisposeAsync();
                }
            }

            Directory.Delete(path, recursive: true);
            throw;
        }
    }

    /// <summary>The command's exit status; 137 (killed) when the runner died before reporting one.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(Status, Encoding.ASCII, leaveOpen: true);
        var line = await reader.ReadLineAsync(cancellationToken);
        return int.TryParse(line, out var code) ? code : 137;
    }

    /// <summary>Asks the init to kill the command's whole session (its streams then end); never throws.</summary>
    public void Kill() => TrySend(_folder, $"kill {_id}");

    /// <summary>Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Kill();
        foreach (var stream in new[] { Stdin, Stdout, Stderr, Status })
        {
            try
            {
                await stream.DisposeAsync();
            }
            catch (IOException)
            {
                // A stdin whose reader is gone cannot flush: nothing is waiting for it.
            }
        }

        try
        {
            Directory.Delete(_path, recursive: true);
        }
        catch (IOException)
        {
            // The whole session folder may be gone already (the sandbox was removed).
        }
    }

    /// <summary>Writes one line to the init's control FIFO (atomic: far below PIPE_BUF).</summary>
    /// <exception cref="SandboxRuntimeException">The init is gone: the sandbox is not running.</exception>
    private static void Send(LocalSandboxFolder folder, string line)
    {
        using var handle = LocalNative.TryOpenFifoForWriting(folder.ControlFifo)
            ?? throw new SandboxRuntimeException($"Sandbox {folder.SandboxId} is not running.");
        using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        stream.Write(Encoding.ASCII.GetBytes(line + "\n"));
    }

    private static void TrySend(LocalSandboxFolder folder, string line)
    {
        try
        {
            Send(folder, line);
        }
        catch (Exception ex) when (ex is SandboxRuntimeException or IOException)
        {
            // A gone init has nothing left to kill.
        }
    }

    private static Task<FileStream> OpenAsync(string folder, string name, bool write) =>
        Task.Factory.StartNew(
            () => new FileStream(LocalNative.OpenFifo(Path.Combine(folder, name), write), write ? FileAccess.Write : FileAccess.Read, bufferSize: 0),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
}
