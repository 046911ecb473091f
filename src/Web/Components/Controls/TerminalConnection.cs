using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// What a <see cref="TerminalView"/> shows, and the loop behind it: attach a session window to a screen, pump its
/// output, and when it drops re-attach in place (1, 2, 4, 8, 16 s apart, then every 16 s, counted down in
/// <see cref="Status"/>; "Retry now" cuts a wait short) until the session is gone or this is disposed. It also looks
/// for sign-in links in the output (<see cref="AuthUrl"/>). Started once with <see cref="Start"/>.
/// </summary>
public sealed partial class TerminalConnection : IAsyncDisposable
{
    private readonly CircuitTerminalService _terminals;
    private readonly CircuitConnectionTracker _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cts = new();
    private readonly AuthUrlDetector _authUrls = new(columns: 0);

    private ITerminalScreen? _screen;
    private Task? _run;
    private CircuitTerminal? _terminal;
    private CancellationTokenSource? _retryNow;
    private bool _attachedOnce;
    private TerminalViewStatus? _status = TerminalViewStatus.Connecting;
    private string? _authUrl;

    public TerminalConnection(string sessionId, string caller, int window, CircuitTerminalService terminals,
        CircuitConnectionTracker connection, TimeProvider time, ILogger<TerminalConnection> logger)
    {
        SessionId = sessionId;
        Caller = caller;
        Window = window;
        _terminals = terminals;
        _connection = connection;
        _time = time;
        _logger = logger;
    }

    public string SessionId { get; }

    /// <summary>The user the attach is checked against (the session's owner, or an admin).</summary>
    public string Caller { get; }

    /// <summary>tmux window: 0 is session <c>main</c>, N is <c>main-N</c>.</summary>
    public int Window { get; }

    /// <summary>An admin watching read-only (see <see cref="CircuitTerminalService.Open"/>).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>What the status overlay shows now; null while attached.</summary>
    public TerminalViewStatus? Status => Volatile.Read(ref _status);

    /// <summary>The last sign-in link seen in the output, until dismissed or its code is sent.</summary>
    public string? AuthUrl => Volatile.Read(ref _authUrl);

    /// <summary>Called after <see cref="Status"/> or <see cref="AuthUrl"/> changed, from any thread.</summary>
    public Func<Task> Changed { get; init; } = () => Task.CompletedTask;

    /// <summary>Called each time the terminal stops for a reason other than disposal: a drop it retries, or the end.</summary>
    public Func<TerminalEndedArgs, Task> Ended { get; init; } = _ => Task.CompletedTask;

    /// <summary>Starts the loop on <paramref name="screen"/>, which this then owns and disposes.</summary>
    public void Start(ITerminalScreen screen)
    {
        ArgumentNullException.ThrowIfNull(screen);
        if (Interlocked.CompareExchange(ref _screen, screen, null) is not null)
        {
            throw new InvalidOperationException("A terminal connection starts once.");
        }

        // Kept, not awaited here: it lives as long as the connection, and DisposeAsync cancels and awaits it.
        _run = RunAsync(screen, _cts.Token);
    }

    /// <summary>The overlay's "Retry now": ends the countdown to the next attempt.</summary>
    public void RetryNow() => Volatile.Read(ref _retryNow)?.Cancel();

    public Task DismissAuthUrlAsync() => SetAuthUrlAsync(null);

    /// <summary>The banner's "Send code": typed into the terminal like a paste, with the Enter the prompt waits for.</summary>
    public async Task SendCodeAsync(string code)
    {
        await SetAuthUrlAsync(null);
        await SendInputAsync(Encoding.UTF8.GetBytes(code + "\r"));
    }

    /// <summary>Bytes typed by the page rather than into xterm.js (the phone key bar); dropped while not attached.</summary>
    public async Task SendInputAsync(byte[] input)
    {
        if (Volatile.Read(ref _terminal) is { IsDisposed: false } terminal)
        {
            await terminal.OnInput(input);
        }
    }

    private async Task RunAsync(ITerminalScreen screen, CancellationToken cancellationToken)
    {
        try
        {
            await screen.LoadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(_logger, SessionId, Window, ex);
                await SetStatusAsync(TerminalViewStatus.From(new(TerminalEndReason.AttachFailed, "the terminal could not start in the browser")));
            }

            return;
        }

        var backoff = new ReconnectBackoff();
        while (!cancellationToken.IsCancellationRequested)
        {
            var outcome = await RunOnceAsync(screen, backoff, cancellationToken);
            if (outcome is null)
            {
                return; // Disposed.
            }

            if (outcome.Reason is TerminalEndReason.NotFound)
            {
                // A session that was there a moment ago and is gone now has ended (user, idle, sandbox stopped).
                await ShowEndedAsync(screen, _attachedOnce && outcome.Reason == TerminalEndReason.NotFound
                    ? new TerminalOutcome(TerminalEndReason.Ended, "Session ended") : outcome, cancellationToken);
                return;
            }

            if (outcome.Reason == TerminalEndReason.Ended && backoff.Attempt == 0)
            {
                // The TTY closed: find out at once whether the session ended or only its tmux client went away.
                backoff.Next();
                continue;
            }

            // Anything else (stream dropped, circuit blip, tmux exited, attach refused while booting) is retried in
            // place: a session that really ended answers the next attempt with NotFound.
            await Ended(new TerminalEndedArgs(SessionId, Window, outcome.Reason, outcome.Detail));
            if (!await WaitToRetryAsync(backoff.Next(), outcome, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>One attach and pump. Null when cancelled (disposed).</summary>
    private async Task<TerminalOutcome?> RunOnceAsync(ITerminalScreen screen, ReconnectBackoff backoff, CancellationToken cancellationToken)
    {
        // Each attempt also ends when the browser connection drops: calls begun then would never be answered.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _connection.DownToken);
        var attemptToken = attempt.Token;
        CircuitTerminal? terminal = null;
        try
        {
            terminal = _terminals.Open(SessionId, Caller, Window, ReadOnly);
            Volatile.Write(ref _terminal, terminal);
            await screen.ShowAsync(terminal, attemptToken);
            await SetStatusAsync(TerminalViewStatus.Connecting);
            var size = await screen.FitAsync(attemptToken);
            _authUrls.Columns = size.Cols;
            return await terminal.RunAsync(size.Cols, size.Rows, (chunk, token) => WriteOutputAsync(screen, chunk, token), () =>
            {
                backoff.Reset();
                var reattached = _attachedOnce;
                _attachedOnce = true;
                return OnAttachedAsync(screen, reattached, attemptToken);
            }, attemptToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || terminal is { IsDisposed: true })
        {
            return null; // Disposed: by this connection, or by the circuit's scope going away first.
        }
        catch (OperationCanceledException) when (attemptToken.IsCancellationRequested)
        {
            return new TerminalOutcome(TerminalEndReason.Failed, "connection to the browser lost");
        }
        catch (JSDisconnectedException)
        {
            // The circuit lost its browser. If it comes back, the next attempt works; if not, disposal cancels us.
            return new TerminalOutcome(TerminalEndReason.Failed, "connection to the browser lost");
        }
        catch (Exception ex) when (ex is JSException or InvalidOperationException or TaskCanceledException)
        {
            LogFailed(_logger, SessionId, Window, ex);
            return new TerminalOutcome(TerminalEndReason.Failed, ex is InvalidOperationException ? ex.Message : "the terminal could not start in the browser");
        }
        finally
        {
            if (terminal is not null)
            {
                await terminal.DisposeAsync();
            }
        }
    }

    /// <summary>Counts down to the next attempt in <see cref="Status"/>; "Retry now" cuts it short. False when cancelled.</summary>
    private async Task<bool> WaitToRetryAsync(TimeSpan delay, TerminalOutcome outcome, CancellationToken cancellationToken)
    {
        if (!_connection.IsUp)
        {
            // Nothing can reach the browser until it reconnects; then re-attach at once.
            try
            {
                await _connection.WaitForUpAsync(cancellationToken);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        using var retryNow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Volatile.Write(ref _retryNow, retryNow);
        try
        {
            for (var left = (int)delay.TotalSeconds; left > 0; left--)
            {
                await SetStatusAsync(TerminalViewStatus.Reconnecting(outcome, left));
                await Task.Delay(TimeSpan.FromSeconds(1), _time, retryNow.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // "Retry now".
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Volatile.Write(ref _retryNow, null);
        }

        return true;
    }

    private async Task WriteOutputAsync(ITerminalScreen screen, byte[] chunk, CancellationToken cancellationToken)
    {
        // Sign-in links are looked for in what the browser is about to show (cheap: complete lines only).
        if (_authUrls.Feed(chunk) is [.., var url])
        {
            await SetAuthUrlAsync(url);
        }

        await screen.WriteAsync(chunk, cancellationToken);
    }

    private async Task OnAttachedAsync(ITerminalScreen screen, bool reattached, CancellationToken cancellationToken)
    {
        if (reattached)
        {
            await screen.ResetAsync(cancellationToken);
        }

        await screen.FocusAsync(cancellationToken);
        await SetStatusAsync(null);
    }

    private async Task ShowEndedAsync(ITerminalScreen screen, TerminalOutcome outcome, CancellationToken cancellationToken)
    {
        var status = TerminalViewStatus.From(outcome);
        try
        {
            await SetStatusAsync(status);
            await screen.WriteStatusAsync(status, cancellationToken);
            await Ended(new TerminalEndedArgs(SessionId, Window, outcome.Reason, outcome.Detail));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (JSDisconnectedException)
        {
            // Ended because the circuit went away: nothing left to show it on.
        }
        catch (Exception ex)
        {
            LogFailed(_logger, SessionId, Window, ex);
        }
    }

    private Task SetStatusAsync(TerminalViewStatus? status)
    {
        Volatile.Write(ref _status, status);
        return Changed();
    }

    private Task SetAuthUrlAsync(string? url)
    {
        Volatile.Write(ref _authUrl, url);
        return Changed();
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        if (_run is { } run)
        {
            await run; // RunAsync handles its own failures and cancellation; this only waits for it to let go.
        }

        if (Volatile.Read(ref _terminal) is { } terminal)
        {
            await terminal.DisposeAsync();
        }

        if (_screen is { } screen)
        {
            await screen.DisposeAsync();
        }

        _cts.Dispose();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Terminal view for session {SessionId} window {Window} failed")]
    private static partial void LogFailed(ILogger logger, string sessionId, int window, Exception exception);
}
