using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Realtime.Circuit;

/// <summary>
/// Moves terminal output from a <see cref="TerminalStream"/> to a sink (the xterm.js <c>write</c> interop call) with
/// flow control. Each read takes whatever the stream has, up to <see cref="ChunkSize"/>, and becomes one chunk; at most
/// <c>maxInFlight</c> chunks are unacknowledged at a time. When the browser is slow the pump stops reading, so the
/// backpressure reaches the TTY and tmux instead of piling up here: output held by the pump never exceeds
/// <c>maxInFlight</c> chunks plus the one read buffer. During a flood, writes are also paced by a
/// <see cref="FloodPacer"/> (at most one every 33 ms unless a chunk is full); echo is never held back.
/// </summary>
internal sealed class TerminalOutputPump
{
    /// <summary>Largest chunk sent to the browser (measured sweet spot for the circuit; see reference/environment.md).</summary>
    public const int ChunkSize = 64 * 1024;

    public const int DefaultMaxInFlight = 4;

    /// <summary>Writes in flight below which output goes out at once instead of being gathered.</summary>
    public const int PipelineDepth = 2;

    private readonly TerminalStream _stream;
    private readonly Func<byte[], CancellationToken, Task> _sink;
    private readonly int _maxInFlight;
    private readonly TimeSpan _frameInterval;
    private readonly TimeProvider _time;

    /// <param name="sink">
    /// Sends one chunk and completes when the browser has processed it. It must honour its token: on cancellation the
    /// pump awaits the writes still in flight, so a sink that ignores the token would hold up disposal.
    /// </param>
    /// <param name="frameInterval">During a flood, at most one write per interval (see <see cref="FloodPacer"/>); zero turns pacing off.</param>
    public TerminalOutputPump(
        TerminalStream stream, Func<byte[], CancellationToken, Task> sink, int maxInFlight = DefaultMaxInFlight,
        TimeSpan? frameInterval = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _stream = stream;
        _sink = sink;
        _maxInFlight = maxInFlight;
        _frameInterval = frameInterval ?? FloodPacer.DefaultInterval;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Pumps until the stream ends (read returns 0), then waits for the browser to acknowledge every chunk sent.
    /// Throws what the stream or the sink threw (the first failure), or <see cref="OperationCanceledException"/>.
    /// Never returns while a write it started is still running.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The linked source lets a failed write interrupt a read that may otherwise wait forever for tmux output.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(_maxInFlight, _maxInFlight);
        var inFlight = new List<Task>(_maxInFlight + 1);
        var buffer = new byte[ChunkSize];
        var pacer = new FloodPacer(_frameInterval, _time);
        Task? frameDue = null;
        Exception? sinkFailure = null;

        async Task SendAsync(byte[] chunk)
        {
            try
            {
                await _sink(chunk, stop.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                Interlocked.CompareExchange(ref sinkFailure, ex, null);
                await stop.CancelAsync();
            }
            finally
            {
                slots.Release();
            }
        }

        // Output gathered so far is buffer[0..filled). A read still pending writes at readOffset, which can be past
        // filled after a send: its bytes are moved down when it completes (the sent bytes were copied out first).
        var filled = 0;
        var readOffset = 0;
        Task<int>? pendingRead = null;
        var ended = false;

        async Task<bool> TakeReadAsync()
        {
            var read = await pendingRead!;
            pendingRead = null;
            if (read == 0)
            {
                return false;
            }

            if (readOffset != filled)
            {
                Buffer.BlockCopy(buffer, readOffset, buffer, filled, read);
            }

            filled += read;
            return true;
        }

        try
        {
            while (!ended || filled > 0)
            {
                inFlight.RemoveAll(static t => t.IsCompleted);
                if (!ended && pendingRead is null && filled < ChunkSize)
                {
                    readOffset = filled;
                    pendingRead = _stream.ReadAsync(buffer.AsMemory(filled), stop.Token).AsTask();
                }

                if (filled == 0)
                {
                    ended = !await TakeReadAsync();
                    continue;
                }

                // Nagle for terminals: while fewer than PipelineDepth writes are in flight, send at once (keystroke
                // echo stays immediate and the browser always has the next chunk queued). Beyond that, keep gathering
                // output until a write is acknowledged or the chunk is full: fewer, larger interop calls instead of
                // one per tiny tmux write.
                if (!ended && inFlight.Count >= PipelineDepth && filled < ChunkSize && pendingRead is not null)
                {
                    var acknowledged = Task.WhenAny(inFlight);
                    if (await Task.WhenAny(pendingRead, acknowledged) == pendingRead)
                    {
                        ended = !await TakeReadAsync();
                        continue;
                    }
                }

                // In a flood, keep gathering until the frame interval has passed (or the chunk is full).
                if (!ended && filled < ChunkSize && pendingRead is not null && pacer.ShouldHold(out var remaining))
                {
                    frameDue ??= Task.Delay(remaining, _time, stop.Token);
                    if (await Task.WhenAny(pendingRead, frameDue) == pendingRead)
                    {
                        ended = !await TakeReadAsync();
                        continue;
                    }
                }

                frameDue = null;

                // Take a slot before sending: while every slot is taken nothing more is read once the buffer is
                // full, and the backpressure reaches the TTY and tmux.
                await slots.WaitAsync(stop.Token);
                inFlight.Add(SendAsync(buffer.AsSpan(0, filled).ToArray()));
                pacer.OnSend(filled);
                filled = 0;
            }
        }
        catch (OperationCanceledException) when (sinkFailure is not null && !cancellationToken.IsCancellationRequested)
        {
            // The read was interrupted because a write failed; that failure is rethrown below.
        }
        finally
        {
            // Only a failure or a cancellation leaves a read pending; after a normal end the writes in flight must
            // still be acknowledged, so the shared token is cancelled only then.
            if (pendingRead is not null)
            {
                await stop.CancelAsync();
                try
                {
                    await pendingRead;
                }
                catch (Exception ex) when (ex is OperationCanceledException || stop.IsCancellationRequested)
                {
                    // Stopped on purpose; a read error that raced the stop is not the failure to report.
                }
            }

            // SendAsync never throws, so this only waits; after a cancellation the sinks end promptly through the token.
            await Task.WhenAll(inFlight);
        }

        if (sinkFailure is not null)
        {
            throw new TerminalOutputException("The browser did not accept terminal output.", sinkFailure);
        }
    }
}

/// <summary>Writing terminal output to the browser failed (the circuit went away, or the xterm.js write threw).</summary>
internal sealed class TerminalOutputException : Exception
{
    public TerminalOutputException(string message, Exception inner) : base(message, inner) { }
}
