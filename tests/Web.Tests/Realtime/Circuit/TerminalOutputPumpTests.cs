using System.Text;
using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Realtime.Circuit;

public sealed class TerminalOutputPumpTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_SegmentsLargerThanChunk_SendsChunksOfAtMost64KiB()
    {
        var stream = new ScriptedTerminalStream();
        stream.Emit(Pattern(0, 300_000));
        stream.Emit(Pattern(300_000, 10));
        stream.End();
        var chunks = new ConcurrentQueue<byte[]>();

        await new TerminalOutputPump(stream, (c, _) => { chunks.Enqueue(c); return Task.CompletedTask; }).RunAsync(CancellationToken.None).WaitAsync(s_timeout);

        chunks.ShouldAllBe(c => c.Length > 0 && c.Length <= TerminalOutputPump.ChunkSize);
        chunks.Count(c => c.Length == TerminalOutputPump.ChunkSize).ShouldBe(4);
        Concat(chunks).ShouldBe(Pattern(0, 300_010));
    }

    [Fact]
    public async Task RunAsync_SmallSegmentAvailable_SendsItWithoutWaitingToFillChunk()
    {
        var stream = new ScriptedTerminalStream();
        var first = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();
        var run = new TerminalOutputPump(stream, (c, _) => { first.TrySetResult(c); return Task.CompletedTask; }).RunAsync(cts.Token);

        stream.Emit("$ "u8.ToArray());

        (await first.Task.WaitAsync(s_timeout)).ShouldBe("$ "u8.ToArray());
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => run.WaitAsync(s_timeout));
    }

    [Fact]
    public async Task RunAsync_TenMegabytesThroughSlowSink_PreservesOrderAndContent()
    {
        const int total = 10 * 1024 * 1024;
        var expected = Pattern(0, total);
        var stream = new ScriptedTerminalStream();
        var random = new Random(42);
        for (var offset = 0; offset < total;)
        {
            var size = Math.Min(random.Next(1, 200_000), total - offset);
            stream.Emit(expected[offset..(offset + size)]);
            offset += size;
        }

        stream.End();
        var received = new MemoryStream();
        var inFlight = 0;
        var maxSeen = 0;

        async Task Sink(byte[] chunk, CancellationToken ct)
        {
            // Appended in call order (the order the interop calls leave in), acknowledged later, out of the caller's flow.
            lock (received)
            {
                received.Write(chunk);
            }

            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxSeen, now);
            chunk.Length.ShouldBeLessThanOrEqualTo(TerminalOutputPump.ChunkSize);
            await Task.Delay(random.Next(0, 2), ct);
            Interlocked.Decrement(ref inFlight);
        }

        await new TerminalOutputPump(stream, Sink, maxInFlight: 4).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        received.ToArray().AsSpan().SequenceEqual(expected).ShouldBeTrue();
        maxSeen.ShouldBeLessThanOrEqualTo(4);
        inFlight.ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_SinkNeverCompletes_StopsReadingAfterMaxInFlight()
    {
        var stream = new ScriptedTerminalStream();
        for (var i = 0; i < 16; i++)
        {
            stream.Emit(new byte[TerminalOutputPump.ChunkSize]);
        }

        var started = 0;
        var fourStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();

        Task Sink(byte[] chunk, CancellationToken ct)
        {
            if (Interlocked.Increment(ref started) == 4)
            {
                fourStarted.TrySetResult();
            }

            return Task.Delay(Timeout.Infinite, ct);
        }

        var run = new TerminalOutputPump(stream, Sink, maxInFlight: 4).RunAsync(cts.Token);
        await fourStarted.Task.WaitAsync(s_timeout);
        await Task.Delay(300); // time for a pump that does not hold back to read on

        // Four chunks in flight plus one full buffer gathered behind them: the documented bound, then nothing.
        started.ShouldBe(4);
        stream.BytesRead.ShouldBe(5L * TerminalOutputPump.ChunkSize);
        (stream.BytesEmitted - stream.BytesRead).ShouldBe(11L * TerminalOutputPump.ChunkSize);
        run.IsCompleted.ShouldBeFalse();

        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => run.WaitAsync(s_timeout));
    }

    [Fact]
    public async Task RunAsync_SmallWritesWhileBrowserBusy_AreGatheredIntoOneChunk()
    {
        var stream = new ScriptedTerminalStream();
        var firstHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var chunks = new System.Collections.Concurrent.ConcurrentQueue<byte[]>();
        var firstSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();

        Task Sink(byte[] chunk, CancellationToken ct)
        {
            chunks.Enqueue(chunk);
            if (chunks.Count <= 2)
            {
                firstSent.TrySetResult();
                return firstHeld.Task.WaitAsync(ct);
            }

            return Task.CompletedTask;
        }

        var run = new TerminalOutputPump(stream, Sink, maxInFlight: 4).RunAsync(cts.Token);
        stream.Emit("a"u8.ToArray());
        await firstSent.Task.WaitAsync(s_timeout);
        stream.Emit("z"u8.ToArray()); // the second write fills the pipeline (PipelineDepth = 2) and is held too
        await Poll.UntilAsync(() => chunks.Count == 2, s_timeout);
        for (var i = 0; i < 10; i++)
        {
            stream.Emit("bc"u8.ToArray());
            await Task.Delay(10);
        }

        await Task.Delay(100);
        chunks.Count.ShouldBe(2, "nothing more is sent while the pipeline is full");
        firstHeld.SetResult();
        await Poll.UntilAsync(() => chunks.Count == 3, s_timeout);

        chunks.ElementAt(2).ShouldBe(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("bc", 10))));
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => run.WaitAsync(s_timeout));
    }

    [Fact]
    public async Task RunAsync_OutputRightAfterAFloodChunk_HeldUntilTheFrameIntervalThenSentTogether()
    {
        await using var pump = await PacedPump.AfterFloodChunkAsync();

        pump.Stream.Emit("a"u8.ToArray());
        await Task.Delay(50);
        pump.Stream.Emit("b"u8.ToArray());
        await Task.Delay(100);
        pump.Chunks.Count.ShouldBe(1, "held: the frame interval has not passed since the flood chunk");

        pump.Time.Advance(FloodPacer.DefaultInterval);
        await Poll.UntilAsync(() => pump.Chunks.Count == 2, s_timeout);
        pump.Chunks.ElementAt(1).ShouldBe("ab"u8.ToArray());
    }

    [Fact]
    public async Task RunAsync_FullChunkDuringAFlood_SentWithoutWaitingForTheInterval()
    {
        await using var pump = await PacedPump.AfterFloodChunkAsync();

        pump.Stream.Emit(new byte[TerminalOutputPump.ChunkSize + 10]);

        await Poll.UntilAsync(() => pump.Chunks.Count >= 2, s_timeout);
        pump.Chunks.ElementAt(1).Length.ShouldBe(TerminalOutputPump.ChunkSize);
    }

    [Fact]
    public async Task RunAsync_EchoAfterTheFloodEnded_SentAtOnce()
    {
        await using var pump = await PacedPump.AfterFloodChunkAsync();
        pump.Time.Advance(FloodPacer.DefaultInterval * 2);

        for (var key = 0; key < 20; key++)
        {
            // Keys 11 ms apart (a fast typist), each echo sent before the clock moves on.
            pump.Stream.Emit([(byte)('a' + key)]);
            await Poll.UntilAsync(() => pump.Chunks.Count == key + 2, s_timeout);
            pump.Time.Advance(TimeSpan.FromMilliseconds(11));
        }
    }

    /// <summary>A pump on a fake clock with an acknowledging sink, started and past its first (flood-sized) chunk.</summary>
    private sealed class PacedPump : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _run;

        public ScriptedTerminalStream Stream { get; } = new();

        public FakeTimeProvider Time { get; } = new();

        public ConcurrentQueue<byte[]> Chunks { get; } = new();

        public static async Task<PacedPump> AfterFloodChunkAsync()
        {
            var pump = new PacedPump();
            pump._run = new TerminalOutputPump(pump.Stream, (c, _) => { pump.Chunks.Enqueue(c); return Task.CompletedTask; }, time: pump.Time)
                .RunAsync(pump._stop.Token);
            pump.Stream.Emit(new byte[4096]);
            await Poll.UntilAsync(() => pump.Chunks.Count == 1, s_timeout);
            return pump;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(() => _run!.WaitAsync(s_timeout));
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaitingForOutput_ThrowsOperationCanceled()
    {
        var stream = new ScriptedTerminalStream();
        using var cts = new CancellationTokenSource();
        var run = new TerminalOutputPump(stream, (_, _) => Task.CompletedTask).RunAsync(cts.Token);
        await Task.Delay(50);

        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => run.WaitAsync(s_timeout));
        stream.Reads.ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_StreamEnds_WaitsForEveryWriteToBeAcknowledged()
    {
        var stream = new ScriptedTerminalStream();
        stream.Emit(new byte[10]);
        stream.End();
        var ack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = new TerminalOutputPump(stream, (_, _) => ack.Task).RunAsync(CancellationToken.None);
        await Task.Delay(100);
        run.IsCompleted.ShouldBeFalse();

        ack.SetResult();
        await run.WaitAsync(s_timeout);
    }

    [Fact]
    public async Task RunAsync_SinkFailsWhileReadWaits_ThrowsTerminalOutputException()
    {
        var stream = new ScriptedTerminalStream();
        stream.Emit(new byte[10]);
        var run = new TerminalOutputPump(stream, (_, _) => Task.FromException(new InvalidOperationException("circuit gone"))).RunAsync(CancellationToken.None);

        var ex = await Should.ThrowAsync<TerminalOutputException>(() => run.WaitAsync(s_timeout));

        ex.InnerException.ShouldBeOfType<InvalidOperationException>();
    }

    [Fact]
    public async Task RunAsync_ReadFails_ThrowsTheReadError()
    {
        var stream = new ScriptedTerminalStream { ReadFailure = new IOException("exec closed") };

        await Should.ThrowAsync<IOException>(() => new TerminalOutputPump(stream, (_, _) => Task.CompletedTask).RunAsync(CancellationToken.None).WaitAsync(s_timeout));
    }

    internal static byte[] Pattern(int start, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            var n = start + i;
            bytes[i] = (byte)(n ^ (n >> 8) ^ (n >> 16));
        }

        return bytes;
    }

    private static byte[] Concat(IEnumerable<byte[]> chunks) => [.. chunks.SelectMany(c => c)];

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
