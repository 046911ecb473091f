using System.Threading.Channels;

namespace RemoltBlazor.Web.Components.Pages.Admin;

/// <summary>
/// Turns a stream of updates into paced renders: whatever arrived while the last render ran or while it waited is
/// one batch, and only the newest item of a batch is rendered (each update is a full picture, so older ones are
/// worth nothing). After a render it waits out <see cref="MinInterval"/>, so a feed of any rate costs at most
/// 1/<see cref="MinInterval"/> renders a second, and a quiet feed costs none.
/// </summary>
public sealed class RenderPacer(TimeProvider time, TimeSpan minInterval)
{
    /// <summary>A quarter second: about 4 renders a second, a live table's rate without flooding the circuit.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    public TimeSpan MinInterval { get; } = minInterval;

    /// <summary>Renders until the reader completes or <paramref name="cancellationToken"/> fires (then it throws).</summary>
    public async Task RunAsync<T>(ChannelReader<T> reader, Func<T, Task> render, CancellationToken cancellationToken)
    {
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            if (!TryReadLatest(reader, out var latest))
            {
                continue;
            }

            var started = time.GetTimestamp();
            await render(latest);
            var left = MinInterval - time.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, time, cancellationToken);
            }
        }
    }

    private static bool TryReadLatest<T>(ChannelReader<T> reader, out T latest)
    {
        latest = default!;
        var any = false;
        while (reader.TryRead(out var item))
        {
            latest = item;
            any = true;
        }

        return any;
    }
}
