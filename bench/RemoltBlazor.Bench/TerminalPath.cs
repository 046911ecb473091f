using System.Diagnostics;
using System.Text;

namespace RemoltBlazor.Bench;

/// <summary>One way into the sandbox's tmux session <c>main</c>: attach, run the measurements, detach.</summary>
internal interface ITerminalPath : IAsyncDisposable
{
    string Name { get; }

    string Description { get; }

    Task AttachAsync(int columns, int rows, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="command"/> + CR and returns when <paramref name="marker"/> has been seen by the client.</summary>
    Task<ThroughputSample> RunThroughputAsync(string command, string marker, TimeSpan timeout);

    /// <summary>Types each key, waiting for its echo; returns the latency of every measured key in ms.</summary>
    Task<double[]> RunEchoAsync(IReadOnlyList<KeyStep> keys, TimeSpan perKeyTimeout);

    Task DetachAsync();
}

/// <param name="Measured">False for the Enter that keeps the line short: sent, then waited out, not timed.</param>
internal sealed record KeyStep(char Key, bool Measured);

/// <param name="SeenUnixMs">Wall-clock time (Unix ms) at which the client saw the marker, to split the run at the moment `cat` ended.</param>
internal sealed record ThroughputSample(double Seconds, long BytesSeen, long Chunks, int MaxInFlight, double SeenUnixMs);

/// <summary>A path whose client is .NET code reading a byte stream (the baseline PTY and the WebSocket).</summary>
internal abstract class StreamPath : ITerminalPath
{
    protected OutputWatcher Watcher { get; private set; } = new();

    public abstract string Name { get; }

    public abstract string Description { get; }

    public async Task AttachAsync(int columns, int rows, CancellationToken cancellationToken)
    {
        Watcher = new OutputWatcher();
        await ConnectAsync(columns, rows, cancellationToken);
        // The attach redraws the screen; measurements start once that is over.
        await Watcher.WaitQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(20), cancellationToken);
    }

    protected abstract Task ConnectAsync(int columns, int rows, CancellationToken cancellationToken);

    protected abstract Task SendAsync(ReadOnlyMemory<byte> data);

    public abstract Task DetachAsync();

    public abstract ValueTask DisposeAsync();

    public async Task<ThroughputSample> RunThroughputAsync(string command, string marker, TimeSpan timeout)
    {
        var bytesBefore = Watcher.Bytes;
        var chunksBefore = Watcher.Chunks;
        var seen = Watcher.ExpectMarker(Encoding.ASCII.GetBytes(marker));
        var startUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var start = Stopwatch.GetTimestamp();
        await SendAsync(Encoding.UTF8.GetBytes(command + "\r"));
        var end = await seen.WaitAsync(timeout);
        var elapsed = Stopwatch.GetElapsedTime(start, end);
        return new ThroughputSample(
            elapsed.TotalSeconds, Watcher.Bytes - bytesBefore, Watcher.Chunks - chunksBefore, 0, startUnixMs + elapsed.TotalMilliseconds);
    }

    public async Task<double[]> RunEchoAsync(IReadOnlyList<KeyStep> keys, TimeSpan perKeyTimeout)
    {
        var latencies = new List<double>(keys.Count);
        foreach (var step in keys)
        {
            var data = new[] { (byte)step.Key };
            if (!step.Measured)
            {
                await SendAsync(data);
                await Watcher.WaitQuietAsync(TimeSpan.FromMilliseconds(50), perKeyTimeout, CancellationToken.None);
                continue;
            }

            var echoed = Watcher.ExpectEcho((byte)step.Key);
            var start = Stopwatch.GetTimestamp();
            await SendAsync(data);
            var end = await echoed.WaitAsync(perKeyTimeout);
            latencies.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
            await Task.Delay(EchoGap);
        }

        return [.. latencies];
    }

    /// <summary>Pause between keystrokes (a fast typist), so each key is a fresh round trip, not a pipeline.</summary>
    public static readonly TimeSpan EchoGap = TimeSpan.FromMilliseconds(10);
}
