using System.Net.WebSockets;
using System.Text;

namespace RemoltBlazor.Bench;

/// <summary>
/// The app's raw terminal socket <c>ws://host/ws/terminal/{id}</c> with <see cref="ClientWebSocket"/>: one resize text
/// message after connecting, keys as binary frames, output frames read into a 64 KiB buffer.
/// </summary>
internal sealed class WebSocketPath(Uri baseAddress, string sessionId) : StreamPath
{
    private ClientWebSocket? _socket;
    private Task? _reader;

    public override string Name => "WebSocket /ws/terminal";

    public override string Description =>
        "System.Net.WebSockets.ClientWebSocket to ws://127.0.0.1:PORT/ws/terminal/{id}; resize JSON, keys as binary frames, 64 KiB receive buffer";

    protected override async Task ConnectAsync(int columns, int rows, CancellationToken cancellationToken)
    {
        _socket = new ClientWebSocket();
        await _socket.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/ws/terminal/{sessionId}"), cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        var socket = _socket;
        var watcher = Watcher;
        _reader = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    watcher.Feed(buffer.AsSpan(0, result.Count));
                }

                watcher.End(new EndOfStreamException($"socket closed: {socket.CloseStatus} {socket.CloseStatusDescription}"));
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                watcher.End(ex);
            }
        }, CancellationToken.None);
        var resize = Encoding.UTF8.GetBytes($"{{\"type\":\"resize\",\"cols\":{columns},\"rows\":{rows}}}");
        await _socket.SendAsync(resize, WebSocketMessageType.Text, true, cancellationToken);
    }

    protected override Task SendAsync(ReadOnlyMemory<byte> data) =>
        _socket!.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).AsTask();

    public override async Task DetachAsync()
    {
        if (_socket is null)
        {
            return;
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", cts.Token);
            await _reader!.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
        {
            Console.Error.WriteLine($"warning: WebSocket close: {ex.Message}");
        }

        await DisposeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_socket is null)
        {
            return;
        }

        _socket.Abort();
        _socket.Dispose();
        if (_reader is not null)
        {
            try
            {
                await _reader.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
            }
        }

        _socket = null;
    }
}
