namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// One reader over a source that must not be read with a cancellation token (a read cancelled inside a hijacked
/// connection or a PTY may lose what it was reading): the source is read without one into a buffer of our own, and
/// only the wait for it is cancelled, so a cancelled read loses nothing and the next read picks the bytes up.
/// Not thread-safe: a terminal has a single reader (see <see cref="TerminalStream"/>).
/// </summary>
/// <param name="readSource">Reads into the buffer it is given; 0 at the end. Called without a token, never twice at once.</param>
internal sealed class DetachedReader(Func<Memory<byte>, Task<int>> readSource, int bufferLength)
{
    private readonly byte[] _buffer = new byte[bufferLength];
    private Task<int>? _pending;
    private int _offset;
    private int _count;

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_count == 0)
        {
            _pending ??= readSource(_buffer);
            var read = await _pending.WaitAsync(cancellationToken);
            _pending = null;
            if (read == 0)
            {
                return 0;
            }

            _offset = 0;
            _count = read;
        }

        var count = Math.Min(destination.Length, _count);
        _buffer.AsMemory(_offset, count).CopyTo(destination);
        _offset += count;
        _count -= count;
        return count;
    }
}
