using Microsoft.AspNetCore.Components;
using MudBlazor;
using RemoltBlazor.Sandboxes.Monitoring;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Web.Components.Pages.Admin;

public sealed partial class SessionDetail : IAsyncDisposable
{
    /// <summary>How often the screen preview is captured: one tmux capture-pane a second, for the one selected session.</summary>
    public static readonly TimeSpan PreviewInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _lifetime = new();
    private string? _screen;
    private string? _previewError;
    private IReadOnlyList<double> _memory = [];
    private bool _ending;
    private string? _endError;
    private Task? _preview;

    [Inject]
    private SessionMonitor Monitor { get; set; } = default!;

    [Inject]
    private SessionManager Sessions { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Parameter, EditorRequired]
    public SessionRow Row { get; set; } = default!;

    /// <summary>The admin acting (recorded with an end).</summary>
    [Parameter, EditorRequired]
    public string Admin { get; set; } = "";

    [Parameter]
    public EventCallback OnClose { get; set; }

    [Parameter]
    public EventCallback<string> OnShowEvents { get; set; }

    /// <summary>The capture, or what there is instead: still loading, or a blank screen (no terminal opened yet, or cleared).</summary>
    private string ScreenText => _screen switch
    {
        null => "…",
        var text when string.IsNullOrWhiteSpace(text) => "(blank screen)",
        var text => text,
    };

    protected override void OnParametersSet() => _memory = [.. Row.Snapshot.MemoryHistory.Select(b => (double)b)];

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _preview = PreviewAsync(Row.Id, _lifetime.Token);
        }
    }

    /// <summary>Captures the screen now and then every <see cref="PreviewInterval"/>; a failed capture shows why and tries again.</summary>
    private async Task PreviewAsync(string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(PreviewInterval, Time);
            do
            {
                string? screen = null;
                string? error = null;
                try
                {
                    screen = await Monitor.CaptureScreenAsync(sessionId, 0, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    error = ex is SessionException ? ex.Message : "The screen could not be read just now.";
                }

                await InvokeAsync(() =>
                {
                    _screen = screen ?? _screen;
                    _previewError = error;
                    StateHasChanged();
                });
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task EndAsync()
    {
        var reason = await EndSessionReasonDialog.AskAsync(Dialogs, Row.Owner, Row.Agent);
        if (reason is null)
        {
            return;
        }

        _ending = true;
        _endError = null;
        try
        {
            await Sessions.EndAsAdminAsync(Row.Id, Admin, reason, CancellationToken.None);
            await OnClose.InvokeAsync();
        }
        catch (SessionException ex)
        {
            _endError = ex.Message;
        }
        finally
        {
            _ending = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        if (_preview is not null)
        {
            await _preview;
        }

        _lifetime.Dispose();
    }
}
