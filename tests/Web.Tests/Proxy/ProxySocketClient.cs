using System.Net.WebSockets;
using System.Text;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>A ClientWebSocket for proxied sockets: send a message, receive the next one, see how it closed.</summary>
internal sealed class ProxySocketClient : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket = new();

    public WebSocket Socket => _socket;

    public string? SubProtocol => _socket.SubProtocol;

    public static async Task<ProxySocketClient> ConnectAsync(
        Uri baseAddress, string path, string? origin = null, string[]? subProtocols = null, string? cookie = null)
    {
        var client = new ProxySocketClient();
        if (origin is not null)
        {
            client._socket.Options.SetRequestHeader("Origin", origin);
        }

        if (cookie is not null)
        {
            client._socket.Options.SetRequestHeader("Cookie", cookie);
        }

        foreach (var protocol in subProtocols ?? [])
        {
            client._socket.Options.AddSubProtocol(protocol);
        }

        await client._socket.ConnectAsync(new Uri($"ws://{baseAddress.Authority}{path}"), CancellationToken.None).WaitAsync(s_timeout);
        return client;
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(s_timeout);

    public Task SendBinaryAsync(byte[] bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(s_timeout);

    /// <summary>The next whole message; Close when the server closed.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync()
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(s_timeout);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, []);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public async Task<string> ReceiveTextAsync()
    {
        var (type, data) = await ReceiveAsync();
        type.ShouldBe(WebSocketMessageType.Text, $"close {_socket.CloseStatus} {_socket.CloseStatusDescription}");
        return Encoding.UTF8.GetString(data);
    }

    /// <summary>Waits for the server's close and returns its code.</summary>
    public async Task<int?> WaitForCloseAsync()
    {
        while (true)
        {
            var (type, _) = await ReceiveAsync();
            if (type == WebSocketMessageType.Close)
            {
                return (int?)_socket.CloseStatus;
            }
        }
    }

    public string? CloseDescription => _socket.CloseStatusDescription;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // Already gone.
        }

        _socket.Dispose();
    }
}
