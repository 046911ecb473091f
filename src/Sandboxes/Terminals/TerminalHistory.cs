using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Terminals;

/// <summary>
/// The recent history of a tmux session (the lines above its visible screen), captured by the attach itself so a
/// reopened tab is not a blank screen. It is sent ahead of the live output, followed by enough newlines to scroll
/// it into the terminal's scrollback, where tmux's redraw of the screen does not erase it. Bounded in lines and bytes.
/// </summary>
internal static class TerminalHistory
{
    public const int MaxBytes = 1024 * 1024;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>A fresh tmux buffer name for one attach's history.</summary>
    public static string NewBufferName() => "remolt-hist-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(12, lowercase: true);

    /// <summary>Reads what the attach captured into <paramref name="buffer"/> (see <see cref="TmuxCommands.AttachScript"/>).</summary>
    public static async Task<byte[]> ReadAsync(
        ISandboxRuntime runtime, string sandboxId, string buffer, int rows, CancellationToken cancellationToken)
    {
        ExecResult result;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_timeout);
            result = await runtime.ExecAsync(sandboxId, ["bash", "-c", TmuxCommands.ReadHistoryScript(buffer)], ReadOnlyMemory<byte>.Empty, timeout.Token);
        }
        catch (Exception ex) when (ex is SandboxRuntimeException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return []; // History is a courtesy: the attach itself decides whether the terminal works.
        }

        return Render(result.Stdout, rows);
    }

    /// <summary>Turns captured lines into terminal bytes: CRLF line ends, trailing blank lines dropped, capped.</summary>
    internal static byte[] Render(ReadOnlySpan<byte> captured, int rows)
    {
        var text = Encoding.UTF8.GetString(captured).TrimEnd('\n', ' ');
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Split('\n');
        var output = new StringBuilder(text.Length + lines.Length + rows * 2);
        foreach (var line in lines)
        {
            // Reset attributes at each line end, so a colour left open by one line does not bleed into the screen.
            output.Append(line.TrimEnd()).Append("\u001b[0m\r\n");
        }

        for (var i = 0; i < rows; i++)
        {
            output.Append("\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(output.ToString());
        if (bytes.Length <= MaxBytes)
        {
            return bytes;
        }

        // Keep the newest part, starting at a line boundary.
        var start = bytes.Length - MaxBytes;
        while (start < bytes.Length && bytes[start - 1] != (byte)'\n')
        {
            start++;
        }

        return bytes[start..];
    }
}
