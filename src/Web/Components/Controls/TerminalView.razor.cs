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

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private CircuitTerminalService Terminals { get; set; } = default!;

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
        TerminalOutcome outcome;
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", cancellationToken, "./js/terminal.js");
            _terminal = Terminals.Open(SessionId, Caller, Window);
            _dotnetRef = DotNetObjectReference.Create(_terminal);
            _handle = await _module.InvokeAsync<IJSObjectReference>("create", cancellationToken, _host, _dotnetRef, null);
            await WriteStatusAsync(TerminalViewStatus.Connecting, cancellationToken);
            var size = await _handle.InvokeAsync<TerminalFit>("fit", cancellationToken);
            outcome = await _terminal.RunAsync(size.Cols, size.Rows, WriteOutputAsync, () => OnAttachedAsync(cancellationToken), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || _terminal is { IsDisposed: true })
        {
            return; // Disposed: by this component, or by the circuit's scope going away first.
        }
        catch (JSDisconnectedException)
        {
            return; // The circuit is gone: there is no browser left to tell.
        }
        catch (Exception ex)
        {
            // Startup in the browser failed (module missing, xterm threw) or the circuit holds too many terminals.
            LogStartFailed(Logger, SessionId, Window, ex);
            outcome = new(TerminalEndReason.AttachFailed, ex is InvalidOperationException ? ex.Message : "the terminal could not start in the browser");
        }

        await ShowEndedAsync(outcome, cancellationToken);
    }

    private Task WriteOutputAsync(byte[] chunk, CancellationToken cancellationToken) =>
        _handle!.InvokeVoidAsync("write", cancellationToken, chunk).AsTask();

    private async Task OnAttachedAsync(CancellationToken cancellationToken)
    {
        await WriteStatusAsync(TerminalViewStatus.Connected, cancellationToken);
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
        try
        {
            if (_handle is not null)
            {
                await _handle.InvokeVoidAsync("dispose");
                await _handle.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The tab is gone and took the xterm instance with it.
        }

        _cts.Dispose();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Terminal view for session {SessionId} window {Window} failed")]
    private static partial void LogStartFailed(ILogger logger, string sessionId, int window, Exception exception);

    internal sealed record TerminalFit(int Cols, int Rows);
}
