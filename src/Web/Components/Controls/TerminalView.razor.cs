using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>Renders a <see cref="TerminalConnection"/>: its xterm.js host, sign-in banner and status overlay.</summary>
public sealed partial class TerminalView : IAsyncDisposable
{
    private ElementReference _host;
    private TerminalConnection _connection = default!;

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

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _connection.Start(new XtermScreen(JS, _host));
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
