using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// A TTY exec attached to a tmux client. Closing the socket alone leaves that tmux client attached inside the pod,
/// so disposal also detaches it by the tty name the attach script wrote to its marker file (as on Docker).
/// </summary>
internal sealed class KubernetesTerminalStream : TerminalStream
{
    private static readonly TimeSpan s_detachTimeout = TimeSpan.FromSeconds(10);

    private readonly KubernetesExecChannel _channel;
    private readonly KubernetesExec _exec;
    private readonly string _marker;
    private readonly StaleTmuxClients _staleClients;
    private readonly ILogger _logger;
    private readonly Lock _disposeLock = new();
    private Task<ReadOnlyMemory<byte>>? _pendingRead;
    private ReadOnlyMemory<byte> _buffered;
    private volatile Task? _disposal;

    public KubernetesTerminalStream(KubernetesExecChannel channel, KubernetesExec exec, string marker, StaleTmuxClients staleClients, ILogger logger)
    {
        _channel = channel;
        _exec = exec;
        _marker = marker;
        _staleClients = staleClients;
        _logger = logger;
    }

    /// <summary>
    /// Single reader; 0 when the terminal ended or the stream was disposed. A cancelled read leaves the terminal
    /// usable: the socket is read without the caller's token and only the wait for that read is cancelled.
    /// </summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_disposal is not null)
        {
            return 0;
        }

        if (_buffered.IsEmpty)
        {
            _pendingRead ??= ReadSocketAsync();
            var next = await _pendingRead.WaitAsync(cancellationToken);
            _pendingRead = null;
            if (next.IsEmpty)
            {
                return 0;
            }

            _buffered = next;
        }

        var count = Math.Min(buffer.Length, _buffered.Length);
        _buffered[..count].CopyTo(buffer);
        _buffered = _buffered[count..];
        return count;
    }

    // With a TTY everything comes on stdout; the status (channel 3) ends the terminal as the close does.
    private async Task<ReadOnlyMemory<byte>> ReadSocketAsync()
    {
        while (await _channel.ReceiveAsync(CancellationToken.None) is var (index, payload))
        {
            if (index == KubernetesExecChannel.Stdout)
            {
                return payload;
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposal is not null, this);
        return _channel.SendAsync(KubernetesExecChannel.Stdin, data, cancellationToken);
    }

    public override Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposal is not null, this);
        return _channel.ResizeAsync(size, cancellationToken).AsTask();
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
        await _channel.DisposeAsync();
        try
        {
            using var timeout = new CancellationTokenSource(s_detachTimeout);
            var result = await _exec.RunAsync(_channel.Pod, ["sh", "-c", TmuxCommands.DetachScript(_marker)], ReadOnlyMemory<byte>.Empty, 64 * 1024, timeout.Token);
            if (result.ExitCode != 0)
            {
                _logger.LogWarning("Detaching the tmux client {Marker} in pod {Pod} exited with {ExitCode}", _marker, _channel.Pod, result.ExitCode);
            }
        }
        catch (SandboxRuntimeUnavailableException ex)
        {
            // The API server is away: the next attach to this pod detaches the client.
            _staleClients.Add(_channel.Pod, _marker);
            _logger.LogInformation("Detaching the tmux client {Marker} in pod {Pod} deferred: {Reason}", _marker, _channel.Pod, ex.Message);
        }
        catch (Exception ex)
        {
            // The pod may be gone already; then there is no tmux client left to detach.
            _logger.LogWarning(ex, "Detaching the tmux client {Marker} in pod {Pod} failed", _marker, _channel.Pod);
        }
    }
}
