namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// A duplex TTY attached to a tmux client inside a sandbox. Reads return raw terminal bytes (0 = the terminal ended).
/// One reader and one writer may use it concurrently; writes are not serialized here: each caller has a single writer
/// by construction (the terminal socket's input pump) or serializes its own at the edge (the circuit's input lock).
/// <see cref="DisposeAsync"/> detaches the tmux client only.
/// </summary>
public abstract class TerminalStream : IAsyncDisposable
{
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Sets the TTY size (already within bounds: see <see cref="TerminalSize"/>).</summary>
    public abstract Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
