namespace RemoltBlazor.Sandboxes.Local;

/// <summary>Reads a stream to its end, keeping at most a cap of it (the rest is drained, so the writer never blocks).</summary>
internal static class LocalCappedRead
{
    public static async Task<(byte[] Bytes, bool Truncated)> ReadAsync(Stream stream, int cap)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var truncated = false;
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                var room = cap - (int)kept.Length;
                if (n > room)
                {
                    truncated = true;
                }

                if (room > 0)
                {
                    kept.Write(buffer, 0, Math.Min(n, room));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The request was disposed (cancelled): what arrived is all there is.
        }

        return (kept.ToArray(), truncated);
    }
}
