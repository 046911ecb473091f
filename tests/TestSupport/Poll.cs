using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace RemoltBlazor.TestSupport;

/// <summary>Waits for a condition that another thread makes true; every wait has a deadline.</summary>
public static class Poll
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(10);

    /// <exception cref="TimeoutException">The condition was still false after <paramref name="timeout"/>; the message quotes it.</exception>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"{expression} was still false after {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(s_interval);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{bool}, TimeSpan, string?)"/>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition().WaitAsync(timeout))
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"{expression} was still false after {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(s_interval);
        }
    }
}
