using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using MudBlazor;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// Renders a <see cref="TerminalConnection"/>: its xterm.js host, sign-in banner and status overlay, and the comforts
/// around it: scrollback search, paste (with a dialog where the clipboard cannot be read), font size, and on phones
/// the key bar.
/// </summary>
public sealed partial class TerminalView : IAsyncDisposable
{
    private readonly TerminalViewKeys _keys = new();
    private ElementReference _host;
    private TerminalConnection _connection = default!;
    private XtermScreen? _screen;
    private DotNetObjectReference<TerminalView>? _self;
    private bool _searchOpen;
    private bool _wasActive;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private CircuitTerminalService Terminals { get; set; } = default!;

    [Inject]
    private CircuitConnectionTracker Connection { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<TerminalConnection> Logger { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Parameter, EditorRequired]
    public string SessionId { get; set; } = "";

    /// <summary>The user the attach is checked against (the session's owner, or an admin).</summary>
    [Parameter, EditorRequired]
    public string Caller { get; set; } = "";

    /// <summary>tmux window: 0 is session <c>main</c>, N is <c>main-N</c>.</summary>
    [Parameter]
    public int Window { get; set; }

    /// <summary>
    /// Watch as an admin: a read-only tmux client that never types into nor resizes the owner's terminal, with no
    /// ownership check; the page that sets it checks that <see cref="Caller"/> holds the admin role.
    /// </summary>
    [Parameter]
    public bool ReadOnly { get; set; }

    [Parameter]
    public EventCallback<TerminalEndedArgs> OnEnded { get; set; }

    /// <summary>Whether its tab is shown: on becoming shown it refits (a size change while hidden) and takes the keyboard.</summary>
    [Parameter]
    public bool Active { get; set; } = true;

    protected override void OnInitialized()
    {
        // The connection's loop runs off the dispatcher (the attacher's own awaits), so renders go through InvokeAsync.
        _connection = new TerminalConnection(SessionId, Caller, Window, Terminals, Connection, Time, Logger)
        {
            ReadOnly = ReadOnly,
            Changed = () => InvokeAsync(StateHasChanged),
            Ended = args => InvokeAsync(() => OnEnded.InvokeAsync(args)),
        };
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            _screen = new XtermScreen(JS, _host, _self);
            _connection.Start(_screen);
            _wasActive = Active;
            return;
        }

        if (Active && !_wasActive && _screen is not null)
        {
            await IgnoreGoneAsync(_screen.ShownAsync());
        }

        _wasActive = Active;
    }

    /// <summary>Opens the scrollback search (the toolbar's button, or Ctrl+Shift+F in the terminal).</summary>
    public void OpenSearch()
    {
        _searchOpen = true;
        StateHasChanged();
    }

    /// <summary>The paste button: the clipboard where the browser lets the page read it, else a dialog.</summary>
    public async Task PasteAsync()
    {
        if (_screen is null || await _screen.PasteFromClipboardAsync() != "dialog")
        {
            return;
        }

        if (await TerminalViewPasteDialog.AskAsync(Dialogs) is { Length: > 0 } text)
        {
            await _screen.PasteAsync(text);
        }
    }

    public Task<string> CopyAsync() => _screen?.CopySelectionAsync() ?? Task.FromResult("empty");

    public Task<int> ZoomAsync(int delta) => _screen?.ZoomAsync(delta) ?? Task.FromResult(TerminalViewPreferences.DefaultFontSize);

    [JSInvokable]
    public void OnShortcut(string name)
    {
        if (name == "search")
        {
            OpenSearch();
        }
    }

    /// <summary>What the soft keyboard typed while the key bar's Ctrl or Alt was armed.</summary>
    [JSInvokable]
    public async Task OnArmedInput(string typed)
    {
        var bytes = _keys.Modify(typed);
        StateHasChanged();
        await _connection.SendInputAsync(bytes);
        if (_screen is not null)
        {
            // After any setArmed(true) of the tap before it: the browser ends up disarmed whatever order it armed in.
            await IgnoreGoneAsync(_screen.SetArmedAsync(_keys.Armed));
        }
    }

    private async Task SendKeyAsync(TerminalKey key)
    {
        var bytes = _keys.Press(key);
        if (_screen is not null)
        {
            await IgnoreGoneAsync(_screen.SetArmedAsync(false));
        }

        await _connection.SendInputAsync(bytes);
    }

    private async Task ArmAsync(bool ctrl)
    {
        if (ctrl)
        {
            _keys.ToggleCtrl();
        }
        else
        {
            _keys.ToggleAlt();
        }

        if (_screen is not null)
        {
            await IgnoreGoneAsync(_screen.SetArmedAsync(_keys.Armed));
        }
    }

    private Task<bool> FindAsync(string text, bool caseSensitive, bool backwards) =>
        _screen?.FindAsync(text, caseSensitive, backwards) ?? Task.FromResult(false);

    private async Task CloseSearchAsync()
    {
        _searchOpen = false;
        if (_screen is not null)
        {
            await IgnoreGoneAsync(_screen.ClearSearchAsync());
        }
    }

    // The page is going away (or the circuit is): a comfort call that cannot land is not an error.
    private static async Task IgnoreGoneAsync(Task call)
    {
        try
        {
            await call;
        }
        catch (JSDisconnectedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _self?.Dispose();
    }
}
