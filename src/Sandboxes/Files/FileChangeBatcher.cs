using System.Threading.Channels;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// Collects one watcher's changes between flushes and hands them to its reader as batches through a small bounded
/// channel. The producer never blocks: while the reader is behind, changes keep collecting (duplicates merged); past
/// <see cref="MaxBatch"/> distinct ones the batch collapses into <see cref="FileChange.Everything"/>, so memory stays
/// bounded and nothing is lost silently.
/// </summary>
internal sealed class FileChangeBatcher
{
    public const int MaxBatch = 500;
    private const int Capacity = 4;

    private readonly object _gate = new();
    private readonly Channel<IReadOnlyList<FileChange>> _channel = Channel.CreateBounded<IReadOnlyList<FileChange>>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = false });

    private List<FileChange> _pending = [];
    private HashSet<FileChange> _seen = [];
    private bool _overflowed;

    public ChannelReader<IReadOnlyList<FileChange>> Reader => _channel.Reader;

    public void Add(FileChange change)
    {
        lock (_gate)
        {
            if (_overflowed || !_seen.Add(change))
            {
                return;
            }

            _pending.Add(change);
            if (_pending.Count > MaxBatch)
            {
                _overflowed = true;
                _pending = [];
                _seen = [];
            }
        }
    }

    /// <summary>Hands what collected to the reader, unless its channel is full (then it waits for the next flush).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            IReadOnlyList<FileChange> batch = _overflowed ? [FileChange.Everything] : _pending;
            if (batch.Count == 0 || !_channel.Writer.TryWrite(batch))
            {
                return;
            }

            _overflowed = false;
            _pending = [];
            _seen = [];
        }
    }

    /// <summary>Flushes what is left and ends the reader's enumeration.</summary>
    public void Complete()
    {
        Flush();
        _channel.Writer.TryComplete();
    }
}
