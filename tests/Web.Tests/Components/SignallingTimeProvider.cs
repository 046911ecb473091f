using Microsoft.Extensions.Time.Testing;

namespace RemoltBlazor.Web.Tests.Components;

/// <summary>
/// A fake clock that says when a timer starts: a test advances it only once the code under test is waiting on it,
/// else the advance could land before the wait and be lost.
/// </summary>
public sealed class SignallingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero))
{
    private readonly SemaphoreSlim _started = new(0);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _started.Release();
        return timer;
    }

    /// <summary>Waits for the next timer not yet waited for (a <c>Task.Delay</c> on this clock starts one).</summary>
    public async Task NextTimerAsync()
    {
        if (!await _started.WaitAsync(ComponentTestContext.Timeout))
        {
            throw new TimeoutException("No timer started.");
        }
    }

    /// <summary>Whether a timer started that no one waited for.</summary>
    public bool HasUnclaimedTimer => _started.CurrentCount > 0;
}
