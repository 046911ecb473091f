namespace RemoltBlazor.Web.Realtime.Circuit;

/// <summary>
/// Paces the output pump during floods (a build log, <c>cat</c> of a big file): while more than
/// <see cref="FloodBytes"/> went out within the last two intervals, a chunk waits until the interval
/// (<see cref="DefaultInterval"/>) has passed since the one before, and output is gathered meanwhile. Every write costs
/// the browser a few messages, a task and an acknowledgement whatever its size, and xterm.js renders at most once per
/// frame anyway, so fewer, larger writes leave the CPU to the programs producing the output. Echo and prompts are a
/// few bytes at a time, far below the threshold, so typing is never held back.
/// </summary>
internal sealed class FloodPacer(TimeSpan interval, TimeProvider time)
{
    /// <summary>
    /// 30 writes a second during a flood. Measured in bench/ against one display frame (16 ms): with it (and the steady
    /// cursor) the browser's CPU per 50 MB flood fell from about 0.65 to 0.4 CPU-s; text scrolling by at 30 frames a
    /// second reads no slower.
    /// </summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(33);

    /// <summary>Bytes within two intervals (about 30 KB/s at the default) above which output counts as a flood.</summary>
    public const int FloodBytes = 2048;

    // Bounded: older entries are dropped once the window holds this many sends, which only undercounts.
    private const int MaxRecent = 64;

    private readonly Queue<(long At, int Bytes)> _recent = new();
    private int _recentBytes;
    private long _lastSend;

    public void OnSend(int bytes)
    {
        if (_recent.Count == MaxRecent)
        {
            _recentBytes -= _recent.Dequeue().Bytes;
        }

        _lastSend = time.GetTimestamp();
        _recent.Enqueue((_lastSend, bytes));
        _recentBytes += bytes;
    }

    /// <summary>True in a flood while the interval since the last send has not passed; <paramref name="remaining"/> is what is left of it.</summary>
    public bool ShouldHold(out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (interval <= TimeSpan.Zero || _recent.Count == 0)
        {
            return false;
        }

        var now = time.GetTimestamp();
        while (_recent.Count > 0 && time.GetElapsedTime(_recent.Peek().At, now) >= interval * 2)
        {
            _recentBytes -= _recent.Dequeue().Bytes;
        }

        if (_recentBytes < FloodBytes)
        {
            return false;
        }

        remaining = interval - time.GetElapsedTime(_lastSend, now);
        return remaining > TimeSpan.Zero;
    }
}
