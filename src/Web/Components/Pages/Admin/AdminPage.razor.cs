using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using RemoltBlazor.Sandboxes.Monitoring;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Pages.Admin;

/// <summary>
/// The operators' page: every live session in a grid, the selected one's preview, the server panel and recent events.
/// It holds ONE subscription to the session monitor; <see cref="RenderPacer"/> turns its updates into at most about
/// four renders a second, each replacing the rows in place (rows are equal by session id, so the grid keeps its sort,
/// filter, selection and scroll).
/// </summary>
public sealed partial class AdminPage : IAsyncDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private string? _admin;
    private bool _refused;
    private bool _live;
    private IReadOnlyList<SessionRow> _rows = [];
    private ServerStatus? _server;
    private SessionRow? _selected;
    private string? _selectedId;
    private EventsPanel? _events;
    private Task? _feed;

    [Inject]
    private AuthenticationStateProvider Auth { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private SessionMonitor Monitor { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private CircuitConnectionTracker Connection { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _admin = await AdminAccess.AdminOrNotFoundAsync(Auth, Navigation);
        _refused = _admin is null;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Subscribed once interactive (not while prerendering, whose render would be thrown away with its feed).
        if (firstRender && _admin is not null)
        {
            _feed = FollowAsync(_lifetime.Token);
        }
    }

    /// <summary>
    /// Holds the subscription only while the browser is connected: a tab closed without Blazor's disconnect beacon
    /// keeps its circuit for the retention period (minutes), and the monitor's sampler runs as long as anyone
    /// subscribes. Renders made while the connection is down would be lost anyway.
    /// </summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        var pacer = new RenderPacer(Time, RenderPacer.DefaultInterval);
        try
        {
            while (true)
            {
                await Connection.WaitForUpAsync(cancellationToken);
                using var connected = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Connection.DownToken);
                using var subscription = Monitor.Subscribe();
                try
                {
                    await pacer.RunAsync(subscription.Reader, update => InvokeAsync(() =>
                    {
                        Apply(update);
                        StateHasChanged();
                    }), connected.Token);
                    return;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The connection dropped: leave the feed until it is back.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Apply(MonitorUpdate update)
    {
        var now = Time.GetUtcNow();
        _rows = [.. update.Sessions.Select(s => new SessionRow(s, now))];
        _server = update.Server;
        _live = true;
        _selected = _selectedId is null ? null : _rows.FirstOrDefault(r => r.Id == _selectedId);
    }

    private void Select(string? id)
    {
        _selectedId = id;
        _selected = id is null ? null : _rows.FirstOrDefault(r => r.Id == id);
    }

    private Task ShowEventsOf(string sessionId) => _events?.FilterSessionAsync(sessionId) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        if (_feed is not null)
        {
            await _feed;
        }

        _lifetime.Dispose();
    }
}
