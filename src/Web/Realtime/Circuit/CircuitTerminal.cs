using Microsoft.JSInterop;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;

namespace RemoltBlazor.Web.Realtime.Circuit;

/// <summary>
/// One terminal of a circuit: attaches to a session window, pumps output to the browser and takes its input and
/// resizes (the <c>dotnetRef</c> target of <c>wwwroot/js/terminal.js</c>). Created by <see cref="CircuitTerminalService"/>;
/// the component that shows it runs it once with <see cref="RunAsync"/> and disposes it.
/// </summary>
public sealed class CircuitTerminal : IAsyncDisposable
{
    private readonly ITerminalAttacher _attacher;
    private readonly CircuitTerminalLog _log;
    private readonly Action<CircuitTerminal> _onDisposed;
    private readonly int _maxInFlight;

    // The one place the circuit's input is serialized (TerminalStream takes one writer at a time and locks nothing):
    // the browser awaits each OnInput before the next, but a resize or a second caller must not interleave with a
    // half-written chunk, and the stream must not be dropped under a write.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _sizeGate = new();
    private readonly CancellationTokenSource _lifetime = new();

    // Cancelled when writing input fails, so the run ends with a status instead of pumping a dead TTY.
    private readonly CancellationTokenSource _inputStop = new();
    private Exception? _inputFailure;

    private TerminalStream? _stream;
    private TerminalSize _size = TerminalSize.Default;
    private Task<TerminalOutcome>? _run;
    private int _started;
    private int _disposed;

    internal CircuitTerminal(string sessionId, string caller, int window, ITerminalAttacher attacher, CircuitTerminalLog log,
        Action<CircuitTerminal> onDisposed, int maxInFlight)
    {
        SessionId = sessionId;
        Caller = caller;
        Window = window;
        _attacher = attacher;
        _log = log;
        _onDisposed = onDisposed;
        _maxInFlight = maxInFlight;
    }

    public string SessionId { get; }

    public string Caller { get; }

    public int Window { get; }

    /// <summary>An admin watching (<see cref="ITerminalAttacher.WatchAsync"/>): input is dropped and the owner's size is kept.</summary>
    public bool ReadOnly { get; init; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Attaches with the given initial size, calls <paramref name="onAttached"/>, then pumps output into
    /// <paramref name="output"/> until the terminal ends. Returns how it ended; throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> or disposal stopped it.
    /// Runs once; <see cref="DisposeAsync"/> cancels and awaits this task, so nothing outlives the terminal.
    /// </summary>
    public Task<TerminalOutcome> RunAsync(int columns, int rows, Func<byte[], CancellationToken, Task> output,
        Func<Task> onAttached, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(onAttached);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A circuit terminal runs once.");
        }

        var run = RunCoreAsync(columns, rows, output, onAttached, cancellationToken);
        Volatile.Write(ref _run, run);
        return run;
    }

    private async Task<TerminalOutcome> RunCoreAsync(int columns, int rows, Func<byte[], CancellationToken, Task> output,
        Func<Task> onAttached, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token, _inputStop.Token);
        var token = linked.Token;
        // The browser's numbers become a TerminalSize (clamped) here, where they enter; nothing downstream clamps again.
        var size = new TerminalSize(columns, rows);
        lock (_sizeGate)
        {
            _size = size;
        }

        TerminalStream stream;
        try
        {
            var options = new TerminalAttachOptions(Window, size);
            stream = await (ReadOnly
                ? _attacher.WatchAsync(SessionId, Caller, options, token)
                : _attacher.AttachAsync(SessionId, Caller, options, token));
        }
        catch (SessionNotFoundException)
        {
            _log.AttachRejected(SessionId, Window, TerminalEndReason.NotFound);
            return new(TerminalEndReason.NotFound, "Session not found");
        }
        catch (TerminalAttachException ex)
        {
            _log.AttachFailed(SessionId, Window, ex);
            return new(TerminalEndReason.AttachFailed, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            _log.AttachFailed(SessionId, Window, ex);
            return new(TerminalEndReason.AttachFailed, "Could not attach to the terminal");
        }

        await using (stream)
        {
            _stream = stream;
            _log.Attached(SessionId, Window, size.Columns, size.Rows);
            try
            {
                // A resize that arrived while attaching only updated _size; apply it now (the attach used the old one).
                bool resizedMeanwhile;
                lock (_sizeGate)
                {
                    resizedMeanwhile = _size != size;
                }

                if (resizedMeanwhile)
                {
                    await ApplySizeAsync(token);
                }

                await onAttached();
                await new TerminalOutputPump(stream, output, _maxInFlight).RunAsync(token);
                _log.Detached(SessionId, Window, "stream ended");
                return new(TerminalEndReason.Ended, "Session ended");
            }
            catch (OperationCanceledException) when (_inputStop.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                && !_lifetime.IsCancellationRequested)
            {
                _log.TerminalFailed(SessionId, Window, _inputFailure!);
                return new(TerminalEndReason.Failed, "Could not write to the terminal");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                _log.Detached(SessionId, Window, "closed");
                throw;
            }
            catch (Exception ex)
            {
                _log.TerminalFailed(SessionId, Window, ex);
                return new(TerminalEndReason.Failed, "Connection to the terminal lost");
            }
            finally
            {
                // Input racing the dispose sees null and is dropped instead of writing to a disposed stream.
                await _writeLock.WaitAsync(CancellationToken.None);
                _stream = null;
                _writeLock.Release();
            }
        }
    }

    /// <summary>Keystrokes and pastes from xterm.js, at most 8 KiB per call, in order. Dropped when not attached.</summary>
    [JSInvokable]
    public async Task OnInput(byte[] data)
    {
        if (data is null || data.Length == 0 || ReadOnly)
        {
            return;
        }

        try
        {
            await _writeLock.WaitAsync(_lifetime.Token);
        }
        catch (OperationCanceledException)
        {
            return; // Typed after the terminal closed: nowhere to send it.
        }

        try
        {
            if (_stream is { } stream)
            {
                await stream.WriteAsync(data, _lifetime.Token);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Not rethrown to the browser: the run ends with a status that says the terminal is gone.
            Interlocked.CompareExchange(ref _inputFailure, ex, null);
            await _inputStop.CancelAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The fitted size of the xterm.js viewport; clamped to what a TTY accepts.</summary>
    [JSInvokable]
    public async Task OnResize(int cols, int rows)
    {
        var size = new TerminalSize(cols, rows);
        lock (_sizeGate)
        {
            _size = size;
        }

        try
        {
            await ApplySizeAsync(_lifetime.Token);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A failed resize leaves the old size; the TTY itself is still usable, so the terminal carries on.
            _log.ResizeFailed(SessionId, Window, ex);
        }
    }

    private async Task ApplySizeAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            TerminalSize size;
            lock (_sizeGate)
            {
                size = _size;
            }

            if (_stream is { } stream)
            {
                await stream.ResizeAsync(size, cancellationToken);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Cancel, then await the run: it owns the stream and disposes it (detaching the tmux client) on its way out.
        await _lifetime.CancelAsync();
        if (Volatile.Read(ref _run) is { } run)
        {
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _onDisposed(this);
    }
}
