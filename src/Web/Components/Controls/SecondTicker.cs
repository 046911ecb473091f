namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// Calls <c>tick</c> once a second on <paramref name="time"/> until disposed: what makes an uptime or a countdown on
/// a page move. The callers' ticks are a re-render through <c>InvokeAsync</c>, which fails only once the component's
/// renderer is gone, and then there is nothing left to tick for.
/// </summary>
public sealed class SecondTicker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SecondTicker(TimeProvider time, Func<Task> tick)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(tick);
        _loop = RunAsync(time, tick, _stop.Token);
    }

    private static async Task RunAsync(TimeProvider time, Func<Task> tick, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await tick();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The component's renderer went away between the check and the render: nothing left to tick for.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
