namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// A duplex TTY attached to a tmux client inside a sandbox. Reads return raw terminal bytes (0 = the terminal ended).
/// One reader and one writer may use it concurrently; <see cref="DisposeAsync"/> detaches the tmux client only.
/// </summary>
public abstract class TerminalStream : IAsyncDisposable
{
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Sets the TTY size. Implementations clamp to <see cref="TerminalSize"/> bounds.</summary>
    public abstract Task ResizeAsync(int columns, int rows, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

public static class TerminalSize
{
    public const int MinColumns = 2;
    public const int MaxColumns = 1000;
    public const int MinRows = 1;
    public const int MaxRows = 500;

    public static (int Columns, int Rows) Clamp(int columns, int rows) =>
        (Math.Clamp(columns, MinColumns, MaxColumns), Math.Clamp(rows, MinRows, MaxRows));
}
