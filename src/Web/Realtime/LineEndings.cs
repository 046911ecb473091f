namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// Turns every LF into CRLF, as a TTY's <c>onlcr</c> does. The original streamed logs through a TTY; this stream has
/// none, and a terminal (the original frontend's xterm included) would draw bare LFs as a staircase.
/// </summary>
internal static class LineEndings
{
    /// <summary>Writes <paramref name="input"/> with LFs expanded into <paramref name="output"/> (at least twice its length).</summary>
    public static int ToCrLf(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var written = 0;
        foreach (var b in input)
        {
            if (b == (byte)'\n')
            {
                output[written++] = (byte)'\r';
            }

            output[written++] = b;
        }

        return written;
    }
}
