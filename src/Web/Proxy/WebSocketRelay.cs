using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Relays messages between the browser's socket and the upstream's, frame by frame with pooled buffers: text stays
/// text, binary stays binary, a close on either side is passed on with its code, and once one side has ended the
/// other is closed too (the original left it open, section 12 item 5). Nothing outlives <see cref="RunAsync"/>.
/// </summary>
internal sealed class WebSocketRelay(WebSocket client, WebSocket upstream, Func<string, string>? firstClientText, Action onActivity)
{
    private const int BufferBytes = 16 * 1024;

    /// <summary>The first client text message is held whole for <c>firstClientText</c> up to this size, else passed as is.</summary>
    private const int MaxHeldMessageBytes = 1024 * 1024;

    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(5);
    private const long ActivityEveryMs = 1000;

    private long _lastActivity = Environment.TickCount64 - ActivityEveryMs;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var toUpstream = PumpAsync(client, upstream, firstClientText, stop.Token);
        var toClient = PumpAsync(upstream, client, null, stop.Token);
        var first = await Task.WhenAny(toUpstream, toClient);
        var other = first == toUpstream ? toClient : toUpstream;

        // One direction ended. Cleanly (a close was passed on): give the peer a moment to answer the close. Broken
        // (a reset, a protocol error) or too slow: abort both, which ends the other pump at once.
        if (first.IsCompletedSuccessfully)
        {
            await Task.WhenAny(other, Task.Delay(s_closeGrace, stop.Token));
        }

        if (!other.IsCompleted)
        {
            client.Abort();
            upstream.Abort();
        }

        await stop.CancelAsync();
        await Task.WhenAll(toUpstream, toClient).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!first.IsCompletedSuccessfully || !other.IsCompletedSuccessfully)
        {
            client.Abort();
            upstream.Abort();
        }
    }

    private async Task PumpAsync(WebSocket source, WebSocket destination, Func<string, string>? transformFirstText, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        MemoryStream? held = null;
        try
        {
            while (true)
            {
                var received = await source.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await PassCloseAsync(source, destination, cancellationToken);
                    return;
                }

                Touch();
                var chunk = buffer.AsMemory(0, received.Count);
                if (transformFirstText is not null && received.MessageType == WebSocketMessageType.Text)
                {
                    held ??= new MemoryStream();
                    held.Write(chunk.Span);
                    if (received.EndOfMessage)
                    {
                        var text = transformFirstText(Encoding.UTF8.GetString(held.GetBuffer(), 0, (int)held.Length));
                        await destination.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
                        transformFirstText = null;
                        held = null;
                    }
                    else if (held.Length > MaxHeldMessageBytes)
                    {
                        // Too large to be a connect frame: stop holding and pass the start on unchanged.
                        await destination.SendAsync(held.GetBuffer().AsMemory(0, (int)held.Length), WebSocketMessageType.Text, false, cancellationToken);
                        transformFirstText = null;
                        held = null;
                    }

                    continue;
                }

                await destination.SendAsync(chunk, received.MessageType, received.EndOfMessage, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task PassCloseAsync(WebSocket source, WebSocket destination, CancellationToken cancellationToken)
    {
        if (destination.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        var status = source.CloseStatus ?? WebSocketCloseStatus.Empty;
        var description = status == WebSocketCloseStatus.Empty ? null : source.CloseStatusDescription;
        try
        {
            await destination.CloseOutputAsync(status, description, cancellationToken);
        }
        catch (ArgumentException)
        {
            // A code this side may not send (1005/1006/1015 are never sent in frames): close normally instead.
            await destination.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
    }

    private void Touch()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastActivity) >= ActivityEveryMs)
        {
            Interlocked.Exchange(ref _lastActivity, now);
            onActivity();
        }
    }
}
