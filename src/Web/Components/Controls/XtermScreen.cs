using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// An xterm.js terminal in <paramref name="host"/>, driven through <c>wwwroot/js/terminal.js</c>. Its handle outlives
/// each attach: a reconnect re-targets it at the new <see cref="CircuitTerminal"/> so the scrollback stays.
/// </summary>
public sealed class XtermScreen(IJSRuntime js, ElementReference host) : ITerminalScreen
{
    private IJSObjectReference? _module;
    private IJSObjectReference? _handle;
    private DotNetObjectReference<CircuitTerminal>? _target;

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        _module = await js.InvokeAsync<IJSObjectReference>("import", cancellationToken, "./js/terminal.js");

    public async Task ShowAsync(CircuitTerminal terminal, CancellationToken cancellationToken)
    {
        var module = _module ?? throw new InvalidOperationException("The terminal script is not loaded.");
        var previous = _target;
        _target = DotNetObjectReference.Create(terminal);
        if (_handle is null)
        {
            _handle = await module.InvokeAsync<IJSObjectReference>("create", cancellationToken, host, _target, null);
        }
        else
        {
            await _handle.InvokeVoidAsync("reattach", cancellationToken, _target);
        }

        // Released only once the browser points at the new target: calls still in flight to the old one may land.
        previous?.Dispose();
    }

    public Task<TerminalFit> FitAsync(CancellationToken cancellationToken) =>
        Handle.InvokeAsync<TerminalFit>("fit", cancellationToken).AsTask();

    public Task WriteAsync(byte[] output, CancellationToken cancellationToken) =>
        Handle.InvokeVoidAsync("write", cancellationToken, output).AsTask();

    public Task ResetAsync(CancellationToken cancellationToken) => Handle.InvokeVoidAsync("reset", cancellationToken).AsTask();

    public Task FocusAsync(CancellationToken cancellationToken) => Handle.InvokeVoidAsync("focus", cancellationToken).AsTask();

    public Task WriteStatusAsync(TerminalViewStatus status, CancellationToken cancellationToken) => _handle is null
        ? Task.CompletedTask
        : _handle.InvokeVoidAsync("writeStatus", cancellationToken, status.TerminalLine, status.Kind.ToString().ToLowerInvariant()).AsTask();

    private IJSObjectReference Handle => _handle ?? throw new InvalidOperationException("The terminal is not shown yet.");

    public async ValueTask DisposeAsync()
    {
        _target?.Dispose();
        await JsModuleHandles.DisposeAsync(_handle, _module);
    }
}
