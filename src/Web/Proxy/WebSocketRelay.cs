using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using RemoltBlazor.Web.Realtime;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Relays messages between the browser's socket and the upstream's, frame by frame with pooled buffers: text stays
/// text, binary stays binary, a close on either side is passed on with its code, and once one side has ended the
/// other is closed too (the original left it open, section 12 item 5). Nothing outlives <see cref="RunAsync"/>.
/// </summary>
internal sealed class WebSocketRelay(WebSocket client, WebSocket upstream, Func<string, string>? firstClientText, Action onActivity, ILogger logger)
{
    private const int BufferBytes = 16 * 1024;

    /// <summary>The first client text message is held whole for <c>firstClientText</c> up to this size, else passed as is.</summary>
    private const int MaxHeldMessageBytes = 1024 * 1024;

    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // One direction ended. Cleanly (a close was passed on): give the peer a moment to answer the close. Broken
        // (a reset, a protocol error): end the other at once.
        var (_, clean) = await SocketPumps.RunAsync(
            token => PumpAsync(client, upstream, firstClientText, token),
            token => PumpAsync(upstream, client, null, token),
            (_, cleanly) => Task.FromResult(cleanly ? s_closeGrace : TimeSpan.Zero),
            logger, cancellationToken);
        if (!clean)
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

                onActivity();
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
}
