using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// The browser side of a terminal: what <see cref="TerminalConnection"/> needs of xterm.js. The seam that lets the
/// connection's reconnect logic run in a test without a browser; <see cref="XtermScreen"/> is the real one.
/// </summary>
public interface ITerminalScreen : IAsyncDisposable
{
    /// <summary>Loads the browser code; a failure here means no attempt can ever work.</summary>
    Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Points the screen's input and resizes at <paramref name="terminal"/>: the first call creates the xterm
    /// instance, later ones re-target it and keep what it shows.
    /// </summary>
    Task ShowAsync(CircuitTerminal terminal, CancellationToken cancellationToken);

    /// <summary>Fits the screen to its element and says how big it is now.</summary>
    Task<TerminalFit> FitAsync(CancellationToken cancellationToken);

    Task WriteAsync(byte[] output, CancellationToken cancellationToken);

    /// <summary>Clears the screen before a re-attached tmux client redraws it with its history.</summary>
    Task ResetAsync(CancellationToken cancellationToken);

    /// <summary>Gives the terminal the keyboard after an attach, unless it is hidden or the user is busy elsewhere.</summary>
    Task FocusAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="status"/> as a line into the terminal, if one was created.</summary>
    Task WriteStatusAsync(TerminalViewStatus status, CancellationToken cancellationToken);
}

/// <summary>The size xterm.js fitted itself to, in character cells.</summary>
public sealed record TerminalFit(int Cols, int Rows);
