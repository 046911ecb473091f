using System.Collections.Concurrent;
using System.Threading.Channels;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Tests.Realtime.Circuit;

/// <summary>
/// An in-memory TTY: tests <see cref="Emit"/> output segments (a read never spans two, like a PTY read), then
/// <see cref="End"/> it (reads return 0) or leave it open (reads wait). Records what was read, written and resized.
/// </summary>
internal sealed class ScriptedTerminalStream : TerminalStream
{
    private readonly Channel<byte[]> _output = Channel.CreateUnbounded<byte[]>();
    private readonly ConcurrentQueue<byte[]> _written = new();
    private readonly ConcurrentQueue<(int Columns, int Rows)> _resizes = new();
    private ReadOnlyMemory<byte> _current;
    private long _bytesRead;
    private long _bytesEmitted;
    private int _reads;
    private int _disposed;

    /// <summary>Thrown by the next read once the emitted output is consumed.</summary>
    public Exception? ReadFailure { get; set; }

    /// <summary>Thrown by every write.</summary>
    public Exception? WriteFailure { get; set; }

    /// <summary>Makes writes yield first, so a caller that does not serialize them would interleave.</summary>
    public bool YieldOnWrite { get; set; }

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long BytesEmitted => Interlocked.Read(ref _bytesEmitted);

    public int Reads => Volatile.Read(ref _reads);

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public IReadOnlyList<byte[]> Written => [.. _written];

    public IReadOnlyList<(int Columns, int Rows)> Resizes => [.. _resizes];

    public void Emit(byte[] data)
    {
        Interlocked.Add(ref _bytesEmitted, data.Length);
        _output.Writer.TryWrite(data).ShouldBeTrue();
    }

    public void End() => _output.Writer.TryComplete();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        while (_current.IsEmpty)
        {
            if (_output.Reader.TryRead(out var next))
            {
                _current = next;
                continue;
            }

            if (ReadFailure is { } failure)
            {
                throw failure;
            }

            if (!await _output.Reader.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }
        }

        var count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        Interlocked.Add(ref _bytesRead, count);
        Interlocked.Increment(ref _reads);
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (YieldOnWrite)
        {
            await Task.Yield();
        }

        if (WriteFailure is { } failure)
        {
            throw failure;
        }

        _written.Enqueue(data.ToArray());
    }

    public override Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken)
    {
        _resizes.Enqueue((size.Columns, size.Rows));
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        _output.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
