using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// An xterm.js terminal in <paramref name="host"/>, driven through <c>wwwroot/js/terminal.js</c>. Its handle outlives
/// each attach: a reconnect re-targets it at the new <see cref="CircuitTerminal"/> so the scrollback stays.
/// <paramref name="view"/> gets the terminal's shortcuts (search, the key bar's modified input); the comfort calls
/// (search, paste, zoom) do nothing before the first attach created the terminal.
/// </summary>
public sealed class XtermScreen(IJSRuntime js, ElementReference host, object? view = null) : ITerminalScreen
{
    private IJSObjectReference? _module;
    private IJSObjectReference? _handle;
    private DotNetObjectReference<CircuitTerminal>? _target;

    /// <summary>Imports terminal.js and its modules (tried again when a load fails: see <see cref="JsModuleHandles.ImportAsync"/>).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken) =>
        _module = await JsModuleHandles.ImportAsync(js, "./js/terminal.js", cancellationToken);

    public async Task ShowAsync(CircuitTerminal terminal, CancellationToken cancellationToken)
    {
        var module = _module ?? throw new InvalidOperationException("The terminal script is not loaded.");
        var previous = _target;
        _target = DotNetObjectReference.Create(terminal);
        if (_handle is null)
        {
            _handle = await module.InvokeAsync<IJSObjectReference>("create", cancellationToken, host, _target, null, view);
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

    /// <summary>The tab was shown: refit if the size changed while hidden, and take the keyboard.</summary>
    public Task ShownAsync() => _handle is null ? Task.CompletedTask : _handle.InvokeVoidAsync("shown").AsTask();

    /// <summary>Finds the next (or previous) match in the scrollback and selects it; false when there is none.</summary>
    public async Task<bool> FindAsync(string text, bool caseSensitive, bool backwards) =>
        _handle is not null && await _handle.InvokeAsync<bool>("find", text, caseSensitive, backwards);

    public Task ClearSearchAsync() => _handle is null ? Task.CompletedTask : _handle.InvokeVoidAsync("clearSearch").AsTask();

    /// <summary>Pastes text the user gave (bracketed paste applies).</summary>
    public Task PasteAsync(string text) => _handle is null ? Task.CompletedTask : _handle.InvokeVoidAsync("paste", text).AsTask();

    /// <summary>Pastes the clipboard: <c>api</c> when it could be read, <c>dialog</c> when the page must ask for the text.</summary>
    public async Task<string> PasteFromClipboardAsync() =>
        _handle is null ? "none" : await _handle.InvokeAsync<string>("pasteFromClipboard");

    /// <summary>Copies the selection: <c>api</c>, <c>fallback</c> (the textarea), <c>empty</c> or <c>failed</c>.</summary>
    public async Task<string> CopySelectionAsync() =>
        _handle is null ? "empty" : await _handle.InvokeAsync<string>("copySelection");

    /// <summary>Changes the font size of every terminal (a preference); returns the new size.</summary>
    public async Task<int> ZoomAsync(int delta) =>
        _handle is null ? TerminalViewPreferences.DefaultFontSize : await _handle.InvokeAsync<int>("zoom", delta);

    /// <summary>While armed, the next input typed into xterm.js goes to the view (the key bar's Ctrl and Alt).</summary>
    public Task SetArmedAsync(bool armed) => _handle is null ? Task.CompletedTask : _handle.InvokeVoidAsync("setArmed", armed).AsTask();

    private IJSObjectReference Handle => _handle ?? throw new InvalidOperationException("The terminal is not shown yet.");

    public async ValueTask DisposeAsync()
    {
        _target?.Dispose();
        await JsModuleHandles.DisposeAsync(_handle, _module);
    }
}
