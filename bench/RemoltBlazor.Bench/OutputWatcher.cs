using System.Diagnostics;

namespace RemoltBlazor.Bench;

/// <summary>
/// Watches the byte stream a .NET-side client receives (the baseline PTY, the WebSocket). The reader loop calls
/// <see cref="Feed"/> with every chunk as it arrives; an expectation registered before the input is sent completes
/// with the <see cref="Stopwatch"/> timestamp of the chunk that satisfied it.
/// </summary>
internal sealed class OutputWatcher
{
    private readonly Lock _gate = new();
    private Expectation? _expectation;
    private long _bytes;
    private long _chunks;
    private long _lastDataTimestamp = Stopwatch.GetTimestamp();
    private Exception? _ended;

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Chunks => Interlocked.Read(ref _chunks);

    public long LastDataTimestamp => Interlocked.Read(ref _lastDataTimestamp);

    public void Feed(ReadOnlySpan<byte> data)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _bytes, data.Length);
        Interlocked.Increment(ref _chunks);
        Interlocked.Exchange(ref _lastDataTimestamp, now);
        lock (_gate)
        {
            if (_expectation is { } e && e.Feed(data))
            {
                _expectation = null;
                e.Done.TrySetResult(now);
            }
        }
    }

    /// <summary>The stream ended: pending and later expectations fail instead of waiting for their timeout.</summary>
    public void End(Exception reason)
    {
        lock (_gate)
        {
            _ended = reason;
            _expectation?.Done.TrySetException(reason);
            _expectation = null;
        }
    }

    /// <summary>Completes when <paramref name="marker"/> arrives (it may straddle chunks).</summary>
    public Task<long> ExpectMarker(byte[] marker) => Register(new MarkerExpectation(marker));

    /// <summary>Completes when <paramref name="ch"/> arrives as printable text (escape sequences are skipped).</summary>
    public Task<long> ExpectEcho(byte ch) => Register(new EchoExpectation(ch));

    private Task<long> Register(Expectation expectation)
    {
        lock (_gate)
        {
            if (_ended is not null)
            {
                return Task.FromException<long>(_ended);
            }

            _expectation?.Done.TrySetCanceled();
            _expectation = expectation;
            return expectation.Done.Task;
        }
    }

    /// <summary>Waits until nothing arrived for <paramref name="quiet"/> (the attach redraw is over), at most <paramref name="max"/>.</summary>
    public async Task WaitQuietAsync(TimeSpan quiet, TimeSpan max, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(max.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetElapsedTime(LastDataTimestamp) < quiet)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Output did not go quiet for {quiet.TotalMilliseconds} ms within {max.TotalSeconds} s.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private abstract class Expectation
    {
        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public abstract bool Feed(ReadOnlySpan<byte> data);
    }

    private sealed class MarkerExpectation(byte[] marker) : Expectation
    {
        private readonly byte[] _tail = new byte[marker.Length - 1];
        private int _tailLength;

        public override bool Feed(ReadOnlySpan<byte> data)
        {
            // A marker split across chunks: the previous chunk's tail plus the head of this one.
            if (_tailLength > 0)
            {
                var head = data[..Math.Min(data.Length, marker.Length - 1)];
                Span<byte> joined = stackalloc byte[_tailLength + head.Length];
                _tail.AsSpan(0, _tailLength).CopyTo(joined);
                head.CopyTo(joined[_tailLength..]);
                if (joined.IndexOf(marker) >= 0)
                {
                    return true;
                }
            }

            if (data.IndexOf(marker) >= 0)
            {
                return true;
            }

            // Keep the last marker.Length - 1 bytes seen (from the old tail and this chunk).
            var keep = marker.Length - 1;
            if (data.Length >= keep)
            {
                data[^keep..].CopyTo(_tail);
                _tailLength = keep;
            }
            else
            {
                var fromTail = Math.Min(_tailLength, keep - data.Length);
                _tail.AsSpan(_tailLength - fromTail, fromTail).CopyTo(_tail);
                data.CopyTo(_tail.AsSpan(fromTail));
                _tailLength = fromTail + data.Length;
            }

            return false;
        }
    }

    /// <summary>Printable bytes outside CSI/OSC/other ESC sequences; state carries across chunks.</summary>
    private sealed class EchoExpectation(byte ch) : Expectation
    {
        private State _state;

        private enum State { Ground, Escape, Csi, Osc, OscEscape }

        public override bool Feed(ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
            {
                switch (_state)
                {
                    case State.Ground:
                        if (b == 0x1B)
                        {
                            _state = State.Escape;
                        }
                        else if (b == ch)
                        {
                            return true;
                        }

                        break;
                    case State.Escape:
                        _state = b switch
                        {
                            (byte)'[' => State.Csi,
                            (byte)']' or (byte)'P' or (byte)'_' or (byte)'^' => State.Osc,
                            >= 0x20 and <= 0x2F => State.Escape, // intermediate bytes, e.g. ESC ( B
                            _ => State.Ground,
                        };
                        break;
                    case State.Csi:
                        if (b is >= 0x40 and <= 0x7E)
                        {
                            _state = State.Ground;
                        }

                        break;
                    case State.Osc:
                        if (b == 0x07)
                        {
                            _state = State.Ground;
                        }
                        else if (b == 0x1B)
                        {
                            _state = State.OscEscape;
                        }

                        break;
                    case State.OscEscape:
                        _state = b == (byte)'\\' ? State.Ground : State.Osc;
                        break;
                }
            }

            return false;
        }
    }
}
