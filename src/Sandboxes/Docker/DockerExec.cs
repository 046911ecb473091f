using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Docker.DotNet;
using Docker.DotNet.Models;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Exec instances on Docker.DotNet: create (a missing or stopped sandbox becomes the runtime's exception), start with
/// the hijacked stream (raw bytes with a TTY, Docker's multiplexed frames without), resize, and a run to completion
/// that feeds and half-closes stdin while collecting stdout and stderr up to a cap.
/// </summary>
internal sealed class DockerExec(DockerEngine engine, TimeProvider timeProvider)
{
    /// <summary>
    /// Explicit working folder: the image's WORKDIR (~/workspace) is the default, and a user who deletes it would make
    /// every exec (terminals, transfers) fail to start.
    /// </summary>
    public const string HomeDirectory = "/home/dev";

    private const int StdinChunkLength = 64 * 1024;
    private const int ReadBufferLength = 64 * 1024;

    // The exit code is set a moment after the output stream ends; poll briefly instead of guessing.
    private static readonly TimeSpan s_exitPollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_exitPollLimit = TimeSpan.FromSeconds(10);

    /// <summary>A non-TTY exec as the sandbox user (or <paramref name="user"/>), stdout and stderr attached.</summary>
    public static ContainerExecCreateParameters Parameters(IReadOnlyList<string> command, bool attachStdin, string user = DockerRuntime.SandboxUser) => new()
    {
        Cmd = [.. command],
        AttachStdin = attachStdin,
        AttachStdout = true,
        AttachStderr = true,
        User = user,
        WorkingDir = HomeDirectory,
    };

    /// <summary>A TTY exec for a terminal: <c>TERM</c> set and Docker's detach keys moved out of the way.</summary>
    public static ContainerExecCreateParameters TerminalParameters(IReadOnlyList<string> command)
    {
        var parameters = Parameters(command, attachStdin: true);
        parameters.TTY = true;
        parameters.Env = ["TERM=xterm-256color"];
        parameters.DetachKeys = DockerRuntime.DetachKeys;
        return parameters;
    }

    /// <summary>Appends what fits under <paramref name="cap"/>; false when something had to be dropped.</summary>
    public static bool AppendUpTo(ArrayBufferWriter<byte> sink, ReadOnlySpan<byte> data, int cap)
    {
        var room = Math.Max(cap - sink.WrittenCount, 0);
        sink.Write(data[..Math.Min(room, data.Length)]);
        return data.Length <= room;
    }

    /// <exception cref="SandboxNotFoundException">No such sandbox.</exception>
    /// <exception cref="SandboxRuntimeException">The sandbox is not running.</exception>
    public Task<string> CreateAsync(string sandboxId, ContainerExecCreateParameters parameters, CancellationToken cancellationToken) =>
        engine.RunAsync($"exec create in {sandboxId}", async client =>
        {
            try
            {
                return (await client.Exec.CreateContainerExecAsync(sandboxId, parameters, cancellationToken)).ID;
            }
            catch (DockerContainerNotFoundException ex)
            {
                throw new SandboxNotFoundException($"Sandbox {sandboxId} does not exist.", ex);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
            {
                throw new SandboxRuntimeException($"Sandbox {sandboxId} is not running: {DockerEngine.EngineMessage(ex)}", ex);
            }
        }, cancellationToken);

    /// <summary>
    /// Starts the exec and takes over its connection (<c>101 UPGRADED</c>). With a TTY an error after the 101 arrives
    /// as text inside the stream. Every exec's TTY starts at 0x0: resize after this (a resize before start blocks
    /// about 10 s and then fails).
    /// </summary>
    public Task<MultiplexedStream> StartAsync(string execId, bool tty, CancellationToken cancellationToken) =>
        engine.RunAsync($"exec start {execId}",
            client => client.Exec.StartContainerExecAsync(execId, new ContainerExecStartParameters { TTY = tty }, cancellationToken),
            cancellationToken);

    public Task ResizeAsync(string execId, TerminalSize size, CancellationToken cancellationToken) =>
        engine.RunAsync($"exec resize {execId}",
            client => client.Exec.ResizeExecTtyAsync(execId, new ContainerResizeParameters { Width = size.Columns, Height = size.Rows }, cancellationToken),
            cancellationToken);

    /// <summary>
    /// Runs a command without a TTY: feeds <paramref name="stdin"/> and half-closes it (so <c>tar xzf -</c> sees EOF)
    /// while collecting stdout and stderr, each up to <paramref name="outputCap"/> bytes, then reads the exit code.
    /// </summary>
    public async Task<ExecResult> RunAsync(
        string sandboxId, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, int outputCap, CancellationToken cancellationToken,
        string user = DockerRuntime.SandboxUser)
    {
        var feedStdin = !stdin.IsEmpty;
        var execId = await CreateAsync(sandboxId, Parameters(command, feedStdin, user), cancellationToken);
        var stdout = new ArrayBufferWriter<byte>();
        var stderr = new ArrayBufferWriter<byte>();
        var complete = true;
        using (var stream = await StartAsync(execId, tty: false, cancellationToken))
        {
            using var writerCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var writer = feedStdin ? WriteStdinAsync(stream, stdin, writerCancellation.Token) : Task.CompletedTask;
            var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferLength);
            try
            {
                // Read while writing: a command like cat answers before its input ends, and a full pipe would deadlock.
                while (await stream.ReadOutputAsync(buffer, 0, ReadBufferLength, cancellationToken) is { EOF: false } read)
                {
                    // Stdin frames never come from the engine; if one does, it is dropped rather than mixed into output.
                    if (read.Target != MultiplexedStream.TargetStream.StandardIn)
                    {
                        var sink = read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout;
                        complete &= AppendUpTo(sink, buffer.AsSpan(0, read.Count), outputCap);
                    }
                }
            }
            catch (IOException ex)
            {
                throw new SandboxRuntimeException($"The output of exec {execId} in sandbox {sandboxId} broke off: {ex.Message}", ex);
            }
            finally
            {
                // A command that exits without reading all its input leaves the writer blocked: stop it.
                await writerCancellation.CancelAsync();
                await writer;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        var exitCode = await WaitForExitCodeAsync(execId, cancellationToken);
        return new ExecResult(exitCode, stdout.WrittenSpan.ToArray(), stderr.WrittenSpan.ToArray(), Truncated: !complete);
    }

    public Task<int> WaitForExitCodeAsync(string execId, CancellationToken cancellationToken) =>
        engine.RunAsync($"exec inspect {execId}", async client =>
        {
            var deadline = timeProvider.GetUtcNow() + s_exitPollLimit;
            while (true)
            {
                var inspect = await client.Exec.InspectContainerExecAsync(execId, cancellationToken);
                if (!inspect.Running && inspect.ExitCode is { } code)
                {
                    return (int)code;
                }

                if (timeProvider.GetUtcNow() > deadline)
                {
                    throw new SandboxRuntimeException(
                        $"Docker exec {execId} still reports running {s_exitPollLimit.TotalSeconds:0} s after its output ended.");
                }

                await Task.Delay(s_exitPollInterval, timeProvider, cancellationToken);
            }
        }, cancellationToken);

    private static async Task WriteStdinAsync(MultiplexedStream stream, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        var bytes = MemoryMarshal.TryGetArray(stdin, out var segment) ? segment : new ArraySegment<byte>(stdin.ToArray());
        try
        {
            for (var offset = 0; offset < bytes.Count; offset += StdinChunkLength)
            {
                await stream.WriteAsync(bytes.Array!, bytes.Offset + offset, Math.Min(StdinChunkLength, bytes.Count - offset), cancellationToken);
            }

            // Half-close: the engine closes the command's stdin and keeps sending its output.
            stream.CloseWrite();
        }
        catch (OperationCanceledException)
        {
            // The output ended first: the command did not want the rest of its input.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The command exited and the engine closed the connection; its exit code tells what happened.
        }
    }
}
