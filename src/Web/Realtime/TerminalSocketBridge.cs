using System.Buffers;
using System.Net.WebSockets;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// Pumps one terminal over one WebSocket: TTY bytes out as binary frames, binary frames in as keystrokes, text frames
/// as resize requests. Buffers are fixed (64 KiB each way): a large binary message is written through in pieces as
/// it arrives, never collected whole, and an oversized text message is dropped without closing the socket.
/// When either side ends, the other is cancelled and awaited before the socket closes.
/// </summary>
internal sealed partial class TerminalSocketBridge(WebSocket socket, TerminalStream terminal, ILogger<TerminalSocketBridge> logger)
{
    private const int BufferSize = 64 * 1024;

    public Task RunAsync(CancellationToken cancellationToken) =>
        SocketPumps.BridgeAsync(socket, PumpOutputAsync, PumpInputAsync, "Terminal ended", logger, cancellationToken);

    private async Task PumpOutputAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await terminal.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken);
                if (read == 0)
                {
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PumpInputAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var text = new byte[ResizeMessage.MaxLength];
        var textLength = 0;
        var textOverflow = false;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(0, BufferSize), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    if (result.Count > 0)
                    {
                        await terminal.WriteAsync(buffer.AsMemory(0, result.Count), cancellationToken);
                    }

                    continue;
                }

                if (!textOverflow && textLength + result.Count <= text.Length)
                {
                    buffer.AsSpan(0, result.Count).CopyTo(text.AsSpan(textLength));
                    textLength += result.Count;
                }
                else
                {
                    textOverflow = true;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (!textOverflow && ResizeMessage.TryParse(text.AsSpan(0, textLength), out var size))
                {
                    await terminal.ResizeAsync(size, cancellationToken);
                }
                else
                {
                    LogIgnoredText(logger, textOverflow ? -1 : textLength);
                }

                textLength = 0;
                textOverflow = false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a terminal text message ({Length} bytes; -1 = oversized)")]
    private static partial void LogIgnoredText(ILogger logger, int length);
}
