using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Controls;

public sealed partial class TerminalView : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private ElementReference _host;
    private TerminalViewStatus? _status = TerminalViewStatus.Connecting;

    // Set by the run on the circuit's dispatcher, read by DisposeAsync after awaiting the run.
    private Task? _run;
    private IJSObjectReference? _module;
    private IJSObjectReference? _handle;
    private CircuitTerminal? _terminal;
    private DotNetObjectReference<CircuitTerminal>? _dotnetRef;
    private CancellationTokenSource? _retryNow;
    private bool _attachedOnce;
    private string? _authUrl;
    private readonly Sandboxes.Terminals.AuthUrlDetector _authUrls = new(columns: 0);

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private CircuitTerminalService Terminals { get; set; } = default!;

    [Inject]
    private CircuitConnectionTracker Connection { get; set; } = default!;

    [Inject]
    private ILogger<TerminalView> Logger { get; set; } = default!;

    [Parameter, EditorRequired]
    public string SessionId { get; set; } = "";

    /// <summary>The user the attach is checked against (the session's owner, or an admin).</summary>
    [Parameter, EditorRequired]
    public string Caller { get; set; } = "";

    /// <summary>tmux window: 0 is session <c>main</c>, N is <c>main-N</c>.</summary>
    [Parameter]
    public int Window { get; set; }

    [Parameter]
    public EventCallback<TerminalEndedArgs> OnEnded { get; set; }

    /// <summary>What the status overlay shows now; null once connected.</summary>
    internal TerminalViewStatus? Status => _status;

    protected override Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            // Kept, not awaited here: it lives as long as the terminal, and DisposeAsync cancels and awaits it.
            _run = RunAsync(_cts.Token);
        }

        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", cancellationToken, "./js/terminal.js");
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                LogStartFailed(Logger, SessionId, Window, ex);
                await SetStatusAsync(TerminalViewStatus.From(new(TerminalEndReason.AttachFailed, "the terminal could not start in the browser")));
            }

            return;
        }

        var backoff = new ReconnectBackoff();
        while (!cancellationToken.IsCancellationRequested)
        {
            var outcome = await RunOnceAsync(backoff, cancellationToken);
            if (outcome is null)
            {
                return; // Disposed.
            }

            if (outcome.Reason is TerminalEndReason.NotFound or TerminalEndReason.Forbidden)
            {
                // A session that was there a moment ago and is gone now has ended (user, idle, sandbox stopped).
                await ShowEndedAsync(_attachedOnce && outcome.Reason == TerminalEndReason.NotFound
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
            await OnEnded.InvokeAsync(new TerminalEndedArgs(SessionId, Window, outcome.Reason, outcome.Detail));
            if (!await WaitToRetryAsync(backoff.Next(), outcome, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>One attach and pump. Null when cancelled (the component went away).</summary>
    private async Task<TerminalOutcome?> RunOnceAsync(ReconnectBackoff backoff, CancellationToken cancellationToken)
    {
        // Each attempt also ends when the browser connection drops: calls begun then would never be answered.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Connection.DownToken);
        var attemptToken = attempt.Token;
        CircuitTerminal? terminal = null;
        try
        {
            terminal = Terminals.Open(SessionId, Caller, Window);
            _terminal = terminal;
            var previousRef = _dotnetRef;
            _dotnetRef = DotNetObjectReference.Create(terminal);
            if (_handle is null)
            {
                _handle = await _module!.InvokeAsync<IJSObjectReference>("create", attemptToken, _host, _dotnetRef, null);
            }
            else
            {
                await _handle.InvokeVoidAsync("reattach", attemptToken, _dotnetRef);
            }

            previousRef?.Dispose();
            await SetStatusAsync(TerminalViewStatus.Connecting);
            var size = await _handle.InvokeAsync<TerminalFit>("fit", attemptToken);
            _authUrls.Columns = size.Cols;
            return await terminal.RunAsync(size.Cols, size.Rows, WriteOutputAsync, () =>
            {
                backoff.Reset();
                var reattached = _attachedOnce;
                _attachedOnce = true;
                return OnAttachedAsync(reattached, attemptToken);
            }, attemptToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || terminal is { IsDisposed: true })
        {
            return null; // Disposed: by this component, or by the circuit's scope going away first.
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
            LogStartFailed(Logger, SessionId, Window, ex);
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

    /// <summary>Counts down to the next attempt in the status overlay; "Retry now" cuts it short. False when cancelled.</summary>
    private async Task<bool> WaitToRetryAsync(TimeSpan delay, TerminalOutcome outcome, CancellationToken cancellationToken)
    {
        if (!Connection.IsUp)
        {
            // Nothing can reach the browser until it reconnects; then re-attach at once.
            try
            {
                await Connection.WaitForUpAsync(cancellationToken);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        using var retryNow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _retryNow = retryNow;
        try
        {
            for (var left = (int)delay.TotalSeconds; left > 0; left--)
            {
                await SetStatusAsync(TerminalViewStatus.Reconnecting(outcome, left));
                await Task.Delay(TimeSpan.FromSeconds(1), retryNow.Token);
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
            _retryNow = null;
        }

        return true;
    }

    /// <summary>The overlay's "Retry now" button.</summary>
    private void RetryNow() => _retryNow?.Cancel();

    private async Task WriteOutputAsync(byte[] chunk, CancellationToken cancellationToken)
    {
        // Sign-in links are looked for in what the browser is about to show (cheap: complete lines only).
        if (_authUrls.Feed(chunk) is [.., var url])
        {
            await SetAuthUrlAsync(url);
        }

        await _handle!.InvokeVoidAsync("write", cancellationToken, chunk);
    }

    private Task SetAuthUrlAsync(string url) => InvokeAsync(() =>
    {
        _authUrl = url;
        StateHasChanged();
    });

    /// <summary>The banner's "Send code": typed into the terminal like a paste, with the Enter the prompt waits for.</summary>
    private async Task SendCodeAsync(string code)
    {
        _authUrl = null;
        if (_terminal is { IsDisposed: false } terminal)
        {
            await terminal.OnInput(System.Text.Encoding.UTF8.GetBytes(code + "\r"));
        }
    }

    private async Task OnAttachedAsync(bool reattached, CancellationToken cancellationToken)
    {
        if (reattached)
        {
            await _handle!.InvokeVoidAsync("reset", cancellationToken);
        }

        await _handle!.InvokeVoidAsync("focus", cancellationToken);
        await SetStatusAsync(null);
    }

    private async Task ShowEndedAsync(TerminalOutcome outcome, CancellationToken cancellationToken)
    {
        var status = TerminalViewStatus.From(outcome);
        try
        {
            await SetStatusAsync(status);
            if (_handle is not null)
            {
                await WriteStatusAsync(status, cancellationToken);
            }

            await OnEnded.InvokeAsync(new TerminalEndedArgs(SessionId, Window, outcome.Reason, outcome.Detail));
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
            LogStartFailed(Logger, SessionId, Window, ex);
        }
    }

    private ValueTask WriteStatusAsync(TerminalViewStatus status, CancellationToken cancellationToken) =>
        _handle!.InvokeVoidAsync("writeStatus", cancellationToken, status.TerminalLine, status.Kind.ToString().ToLowerInvariant());

    // The run's continuations may be off the dispatcher (the attacher's own awaits), so renders go through InvokeAsync.
    private Task SetStatusAsync(TerminalViewStatus? status) => InvokeAsync(() =>
    {
        _status = status;
        StateHasChanged();
    });

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        if (_run is { } run)
        {
            await run; // RunAsync handles its own failures and cancellation; this only waits for it to let go.
        }

        if (_terminal is not null)
        {
            await _terminal.DisposeAsync();
        }

        _dotnetRef?.Dispose();
        await JsModuleHandles.DisposeAsync(_handle, _module);

        _cts.Dispose();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Terminal view for session {SessionId} window {Window} failed")]
    private static partial void LogStartFailed(ILogger logger, string sessionId, int window, Exception exception);

    internal sealed record TerminalFit(int Cols, int Rows);
}
