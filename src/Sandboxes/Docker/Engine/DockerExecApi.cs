using System.Globalization;
using System.Net.Sockets;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>Exec instances: https://docs.docker.com/reference/api/engine/version/v1.43/#tag/Exec</summary>
internal sealed class DockerExecApi
{
    private const int StdinChunkLength = 64 * 1024;

    // The exit code is set a moment after the output stream ends; poll briefly instead of guessing.
    private static readonly TimeSpan s_exitPollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_exitPollLimit = TimeSpan.FromSeconds(10);

    private readonly DockerEngineClient _client;

    public DockerExecApi(DockerEngineClient client) => _client = client;

    /// <summary>Creates an exec instance in a running container; returns its id.</summary>
    /// <exception cref="DockerNotFoundException">No such container.</exception>
    /// <exception cref="DockerConflictException">The container is not running.</exception>
    public async Task<string> CreateAsync(string containerIdOrName, DockerExecCreateRequest request, CancellationToken cancellationToken)
    {
        var created = await _client.SendJsonAsync(
            HttpMethod.Post, $"containers/{Uri.EscapeDataString(containerIdOrName)}/exec",
            DockerEngineClient.JsonBody(request, DockerJsonContext.Default.DockerExecCreateRequest),
            DockerJsonContext.Default.DockerIdResponse, $"exec create in {containerIdOrName}", cancellationToken);
        return created.Id;
    }

    /// <summary>
    /// Starts the exec and takes over the connection (<c>101 UPGRADED</c>). With a TTY the stream is raw terminal
    /// bytes; an error after the 101 arrives as text inside it. Every exec starts at 80x24: resize after this.
    /// </summary>
    public Task<DockerHijackedStream> StartHijackedAsync(string execId, bool tty, CancellationToken cancellationToken) =>
        _client.SendHijackedAsync(
            $"exec/{Uri.EscapeDataString(execId)}/start",
            DockerEngineClient.JsonBody(new DockerExecStartRequest(Detach: false, Tty: tty), DockerJsonContext.Default.DockerExecStartRequest),
            $"exec start {execId}", cancellationToken);

    /// <summary>Sets the exec's TTY size. Only after start: before it the engine blocks about 10 s and then fails.</summary>
    public Task ResizeAsync(string execId, int columns, int rows, CancellationToken cancellationToken) =>
        _client.SendWithoutResultAsync(
            HttpMethod.Post,
            string.Create(CultureInfo.InvariantCulture, $"exec/{Uri.EscapeDataString(execId)}/resize?h={rows}&w={columns}"),
            null, $"exec resize {execId}", cancellationToken);

    public Task<DockerExecInspect> InspectAsync(string execId, CancellationToken cancellationToken) =>
        _client.SendJsonAsync(
            HttpMethod.Get, $"exec/{Uri.EscapeDataString(execId)}/json", null,
            DockerJsonContext.Default.DockerExecInspect, $"exec inspect {execId}", cancellationToken);

    /// <summary>
    /// Runs a command without a TTY: feeds <paramref name="stdin"/> and half-closes it (so <c>tar xzf -</c> sees EOF)
    /// while collecting stdout and stderr, each up to <paramref name="outputCap"/> bytes, then reads the exit code.
    /// </summary>
    public async Task<DockerExecOutput> RunAsync(
        string containerIdOrName, IReadOnlyList<string> command, string? user, ReadOnlyMemory<byte> stdin, int outputCap,
        CancellationToken cancellationToken)
    {
        var feedStdin = !stdin.IsEmpty;
        var execId = await CreateAsync(
            containerIdOrName,
            new DockerExecCreateRequest(command, AttachStdin: feedStdin, AttachStdout: true, AttachStderr: true, Tty: false, user, Env: null, DetachKeys: null),
            cancellationToken);

        var stdout = new BoundedOutputBuffer(outputCap);
        var stderr = new BoundedOutputBuffer(outputCap);
        await using (var stream = await StartHijackedAsync(execId, tty: false, cancellationToken))
        {
            using var writerCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var writer = feedStdin ? WriteStdinAsync(stream, stdin, writerCancellation.Token) : Task.CompletedTask;
            try
            {
                // Read while writing: a command like cat answers before its input ends, and a full pipe would deadlock.
                await DockerStreamDemultiplexer.ReadAllAsync(stream.ReadAsync, stdout, stderr, cancellationToken);
            }
            finally
            {
                // A command that exits without reading all its input leaves the writer blocked: stop it.
                await writerCancellation.CancelAsync();
                await writer;
            }
        }

        var exitCode = await WaitForExitCodeAsync(execId, cancellationToken);
        return new DockerExecOutput(exitCode, stdout.ToArray(), stderr.ToArray(), stdout.Truncated || stderr.Truncated);
    }

    private static async Task WriteStdinAsync(DockerHijackedStream stream, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        try
        {
            for (var offset = 0; offset < stdin.Length; offset += StdinChunkLength)
            {
                await stream.WriteAsync(stdin.Slice(offset, Math.Min(StdinChunkLength, stdin.Length - offset)), cancellationToken);
            }

            stream.CloseWrite();
        }
        catch (OperationCanceledException)
        {
            // The output ended first: the command did not want the rest of its input.
        }
        catch (IOException)
        {
            // The command exited and the engine closed the connection; its exit code tells what happened.
        }
        catch (SocketException)
        {
            // Same as above, raised by the half-close.
        }
        catch (ObjectDisposedException)
        {
            // Same as above.
        }
    }

    public async Task<int> WaitForExitCodeAsync(string execId, CancellationToken cancellationToken)
    {
        var deadline = _client.Time.GetUtcNow() + s_exitPollLimit;
        while (true)
        {
            var inspect = await InspectAsync(execId, cancellationToken);
            if (!inspect.Running && inspect.ExitCode is { } code)
            {
                return code;
            }

            if (_client.Time.GetUtcNow() > deadline)
            {
                throw new SandboxRuntimeException($"Docker exec {execId} still reports running {s_exitPollLimit.TotalSeconds:0} s after its output ended.");
            }

            await Task.Delay(s_exitPollInterval, _client.Time, cancellationToken);
        }
    }
}

/// <summary>Collected output of a non-TTY exec; <see cref="Truncated"/> when either stream passed the cap.</summary>
internal sealed record DockerExecOutput(int ExitCode, byte[] Stdout, byte[] Stderr, bool Truncated);
