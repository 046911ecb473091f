namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// A TTY size within what a TTY accepts. Sizes arrive as untrusted numbers from the browser (circuit interop, the
/// terminal socket's resize message) and are clamped here, once, where they enter; everything downstream (attacher,
/// runtime, terminal streams) takes a <see cref="TerminalSize"/> and never clamps again. A class, not a struct, so
/// that no unclamped <c>default</c> 0x0 can exist.
/// </summary>
public sealed record TerminalSize
{
    public const int MinColumns = 2;
    public const int MaxColumns = 1000;
    public const int MinRows = 1;
    public const int MaxRows = 500;

    /// <summary>The original's size for a client that has not said its own (120x30).</summary>
    public static readonly TerminalSize Default = new(120, 30);

    public TerminalSize(int columns, int rows)
    {
        Columns = Math.Clamp(columns, MinColumns, MaxColumns);
        Rows = Math.Clamp(rows, MinRows, MaxRows);
    }

    public int Columns { get; }

    public int Rows { get; }

    public override string ToString() => $"{Columns}x{Rows}";
}
