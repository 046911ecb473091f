using System.Net.WebSockets;
using System.Text;

namespace RemoltBlazor.Web.Tests.Realtime;

/// <summary>A ClientWebSocket speaking the original's terminal protocol, collecting everything the server sends.</summary>
internal sealed class TerminalSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _screen = new();
    private readonly Lock _screenLock = new();
    private Task? _receiver;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public string Screen
    {
        get
        {
            lock (_screenLock)
            {
                return _screen.ToString();
            }
        }
    }

    public static async Task<TerminalSocketClient> ConnectAsync(Uri baseAddress, string path, string? origin = null, System.Net.CookieContainer? cookies = null)
    {
        var client = new TerminalSocketClient();
        if (origin is not null)
        {
            client._socket.Options.SetRequestHeader("Origin", origin);
        }

        if (cookies is not null)
        {
            client._socket.Options.Cookies = cookies; // a signed-in browser's cookie jar
        }

        var uri = new Uri($"ws://{baseAddress.Authority}{path}");
        await client._socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        client._receiver = client.ReceiveLoopAsync();
        return client;
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    public Task SendBytesAsync(ReadOnlyMemory<byte> bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public Task SendKeysAsync(string keys) => SendBytesAsync(Encoding.UTF8.GetBytes(keys));

    public Task ResizeAsync(int cols, int rows) => SendTextAsync($"{{\"type\":\"resize\",\"cols\":{cols},\"rows\":{rows}}}");

    public Task<string> WaitForAsync(string expected, TimeSpan? timeout = null) =>
        WaitForAsync(screen => screen.Contains(expected, StringComparison.Ordinal), $"'{expected}'", timeout);

    /// <summary>Waits until what arrived so far satisfies <paramref name="condition"/> (tmux may redraw a line with escapes in it).</summary>
    public async Task<string> WaitForAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var screen = Screen;
            if (condition(screen))
            {
                return screen;
            }

            if (_receiver is { IsCompleted: true })
            {
                break;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{what} did not arrive (close: {CloseStatus} {CloseDescription}). Received:\n{Screen}");
    }

    /// <summary>Waits for the server to close the socket and returns its close code.</summary>
    public async Task<int?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        await _receiver!.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
        return (int?)_socket.CloseStatus;
    }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var count = decoder.GetChars(buffer, 0, result.Count, chars, 0);
                lock (_screenLock)
                {
                    _screen.Append(chars, 0, count);
                }
            }
        }
        catch (WebSocketException)
        {
            // The server dropped the connection; the test asserts on what arrived.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "test done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException)
            {
            }
        }

        _socket.Dispose();
    }
}
