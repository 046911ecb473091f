using Microsoft.AspNetCore.Components;
using MudBlazor;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Events;

namespace RemoltBlazor.Web.Components.Pages.Admin;

public sealed partial class EventsPanel : IAsyncDisposable
{
    /// <summary>How often "Auto" reloads: one indexed query of 100 rows, cheap next to the monitor's ticks.</summary>
    public static readonly TimeSpan AutoInterval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _lifetime = new();
    private IReadOnlyList<EventRecord> _events = [];
    private string? _type;
    private string? _user;
    private string? _session;
    private bool _auto = true;
    private DateTimeOffset? _loadedAt;
    private string? _error;
    private CancellationTokenSource? _autoLoop;
    private Task? _autoTask;

    [Inject]
    private EventLog Events { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await RefreshAsync();
            StartAuto();
            StateHasChanged();
        }
    }

    /// <summary>Shows only one session's events (from the grid's detail or a row here).</summary>
    public Task FilterSessionAsync(string sessionId) => FilterAsync(() => _session = sessionId);

    private async Task FilterAsync(Action set)
    {
        set();
        await RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        try
        {
            _events = await Events.QueryAsync(new EventQuery(_type, _user, _session), _lifetime.Token);
            _loadedAt = Time.GetLocalNow();
            _error = null;
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            // A busy or locked database: keep the last page and say so; the next refresh tries again.
            _error = $"Events could not be loaded: {ex.Message}";
        }
    }

    private async Task SetAutoAsync(bool on)
    {
        _auto = on;
        await StopAutoAsync();
        if (on)
        {
            StartAuto();
        }
    }

    private void StartAuto()
    {
        if (!_auto)
        {
            return;
        }

        _autoLoop = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        _autoTask = AutoAsync(_autoLoop.Token);
    }

    private async Task AutoAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(AutoInterval, Time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task StopAutoAsync()
    {
        if (_autoLoop is null)
        {
            return;
        }

        await _autoLoop.CancelAsync();
        await (_autoTask ?? Task.CompletedTask);
        _autoLoop.Dispose();
        _autoLoop = null;
        _autoTask = null;
    }

    private static Color EventColor(string name) => name switch
    {
        _ when name.EndsWith("failed", StringComparison.Ordinal) || name.EndsWith("rejected", StringComparison.Ordinal) => Color.Error,
        _ when name.StartsWith("session.", StringComparison.Ordinal) => Color.Primary,
        _ when name.StartsWith("auth.", StringComparison.Ordinal) => Color.Secondary,
        _ => Color.Default,
    };

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        await StopAutoAsync();
        _lifetime.Dispose();
    }
}
