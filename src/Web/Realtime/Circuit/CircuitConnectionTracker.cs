using Microsoft.AspNetCore.Components.Server.Circuits;

namespace RemoltBlazor.Web.Realtime.Circuit;

/// <summary>
/// Whether this circuit's browser connection is up (scoped: one per circuit). Terminals use it because JS interop
/// calls begun while the connection is down are never answered after a reconnect: a terminal waiting on them would
/// hang, so it stops when the connection drops and re-attaches (seeded with tmux's history) when it comes back.
/// </summary>
public sealed class CircuitConnectionTracker : CircuitHandler, IDisposable
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _up = NewUp(completed: true);
    private CancellationTokenSource _down = new();

    /// <summary>Cancelled when the connection drops; a new token is handed out after each reconnect.</summary>
    public CancellationToken DownToken
    {
        get
        {
            lock (_gate)
            {
                return _down.Token;
            }
        }
    }

    public bool IsUp
    {
        get
        {
            lock (_gate)
            {
                return _up.Task.IsCompleted;
            }
        }
    }

    /// <summary>Completes at once when connected, else when the browser reconnects.</summary>
    public Task WaitForUpAsync(CancellationToken cancellationToken)
    {
        Task up;
        lock (_gate)
        {
            up = _up.Task;
        }

        return up.WaitAsync(cancellationToken);
    }

    public override Task OnConnectionDownAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken cancellationToken)
    {
        CancellationTokenSource down;
        lock (_gate)
        {
            if (_up.Task.IsCompleted)
            {
                _up = NewUp(completed: false);
            }

            down = _down;
        }

        down.Cancel();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken cancellationToken)
    {
        TaskCompletionSource up;
        CancellationTokenSource? old = null;
        lock (_gate)
        {
            up = _up;
            if (_down.IsCancellationRequested)
            {
                old = _down;
                _down = new CancellationTokenSource();
            }
        }

        old?.Dispose();
        up.TrySetResult();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _down.Dispose();
        }
    }

    private static TaskCompletionSource NewUp(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }
}
