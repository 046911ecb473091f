using System.Runtime.InteropServices;
using Docker.DotNet;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// A TTY exec attached to a tmux client. Closing the connection alone leaves that tmux client running inside the
/// sandbox, so disposal also detaches it by the tty name the attach command wrote to <c>/tmp/.remolt-client-ID</c>.
/// </summary>
internal sealed class DockerTerminalStream : TerminalStream
{
    private const int ReadBufferLength = 64 * 1024;
    private static readonly TimeSpan s_detachTimeout = TimeSpan.FromSeconds(10);

    private readonly DockerExec _exec;
    private readonly string _containerId;
    private readonly string _execId;
    private readonly string _clientMarkerPath;
    private readonly MultiplexedStream _stream;
    private readonly ILogger _logger;
    private readonly Lock _disposeLock = new();
    private readonly DetachedReader _reader;
    private volatile Task? _disposal;

    public DockerTerminalStream(
        DockerExec exec, string containerId, string execId, string clientMarkerPath, MultiplexedStream stream, ILogger logger)
    {
        _exec = exec;
        _containerId = containerId;
        _execId = execId;
        _clientMarkerPath = clientMarkerPath;
        _stream = stream;
        _logger = logger;
        _reader = new DetachedReader(ReadConnectionAsync, ReadBufferLength);
    }

    /// <summary>Where a client that could not be detached (the engine away) is left for the next attach to detach.</summary>
    public StaleTmuxClients? StaleClients { get; init; }

    /// <summary>
    /// Single reader. Returns 0 when the terminal ended or the stream was disposed. Cancelling a read leaves the
    /// terminal usable: a read cancelled inside the hijacked connection's stream may lose what it was reading, so the
    /// connection is read without a token into a buffer of our own and only the wait for it is cancelled.
    /// </summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_disposal is not null)
        {
            return 0;
        }

        return await _reader.ReadAsync(buffer, cancellationToken);
    }

    private async Task<int> ReadConnectionAsync(Memory<byte> buffer)
    {
        try
        {
            // With a TTY Docker.DotNet hands the raw bytes through (no frame headers). The buffer is the reader's array.
            var segment = MemoryMarshal.TryGetArray<byte>(buffer, out var array) ? array : throw new InvalidOperationException("The reader's buffer is an array.");
            return (await _stream.ReadOutputAsync(segment.Array!, segment.Offset, segment.Count, CancellationToken.None)).Count;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // A reset connection or a concurrent dispose both mean this terminal is over.
            _logger.LogDebug(ex, "Terminal exec {ExecId} read ended", _execId);
            return 0;
        }
    }

    /// <summary>
    /// One writer at a time (see <see cref="TerminalStream"/>). Cancelling a write that has started ends the terminal
    /// (the connection is aborted).
    /// </summary>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposal is not null, this);
        var bytes = MemoryMarshal.TryGetArray(data, out var segment) ? segment : new ArraySegment<byte>(data.ToArray());
        await _stream.WriteAsync(bytes.Array!, bytes.Offset, bytes.Count, cancellationToken);
    }

    public override Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposal is not null, this);
        return _exec.ResizeAsync(_execId, size, cancellationToken);
    }

    /// <summary>Idempotent; concurrent callers await the same detach. Never throws.</summary>
    public override ValueTask DisposeAsync()
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
            _stream.Dispose();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Closing terminal exec {ExecId} failed", _execId);
        }

        try
        {
            using var timeout = new CancellationTokenSource(s_detachTimeout);
            var marker = _clientMarkerPath;
            var script = TmuxCommands.DetachScript(marker);
            var result = await _exec.RunAsync(_containerId, ["sh", "-c", script], ReadOnlyMemory<byte>.Empty, 64 * 1024, timeout.Token);
            if (result.ExitCode != 0)
            {
                _logger.LogWarning("Detaching the tmux client of exec {ExecId} exited with {ExitCode}", _execId, result.ExitCode);
            }
        }
        catch (SandboxRuntimeUnavailableException ex)
        {
            // The engine is away (restarting): the next attach to this sandbox detaches the client. A stack trace per
            // terminal would say nothing more than this line.
            StaleClients?.Add(_containerId, _clientMarkerPath);
            _logger.LogInformation("Detaching the tmux client of exec {ExecId} deferred: {Reason}", _execId, ex.Message);
        }
        catch (Exception ex)
        {
            // The sandbox may be gone already; then there is no tmux client left to detach.
            _logger.LogWarning(ex, "Detaching the tmux client of exec {ExecId} in {Container} failed", _execId, _containerId);
        }
    }
}
