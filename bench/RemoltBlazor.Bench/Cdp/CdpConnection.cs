using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RemoltBlazor.Bench.Cdp;

/// <summary>
/// The Chrome DevTools protocol over one WebSocket, flat sessions (<c>sessionId</c> on each message): commands with
/// their replies, and events handed to <see cref="EventReceived"/> on the reader's thread.
/// </summary>
internal sealed class CdpConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private int _nextId;

    /// <summary>(method, params, sessionId) of every event.</summary>
    public event Action<string, JsonElement, string?>? EventReceived;

    public static async Task<CdpConnection> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var connection = new CdpConnection();
        connection._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await connection._socket.ConnectAsync(url, cancellationToken);
        connection._reader = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
        return connection;
    }

    public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? sessionId = null, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject
        {
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters is null ? new JsonObject() : JsonSerializer.SerializeToNode(parameters),
        };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync(_stop.Token);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }

        try
        {
            return await reply.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"DevTools {method} got no reply within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        Exception failure = new InvalidOperationException("The DevTools connection closed.");
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                Dispatch(message.ToArray());
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            failure = ex;
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(failure);
        }
    }

    private void Dispatch(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var sessionId = root.TryGetProperty("sessionId", out var s) ? s.GetString() : null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (!_pending.TryGetValue(idElement.GetInt32(), out var reply))
            {
                return;
            }

            if (root.TryGetProperty("error", out var error))
            {
                reply.TrySetException(new CdpException(error.GetProperty("message").GetString() ?? "DevTools error"));
            }
            else
            {
                reply.TrySetResult(root.GetProperty("result").Clone());
            }

            return;
        }

        var method = root.GetProperty("method").GetString()!;
        var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
        EventReceived?.Invoke(method, parameters, sessionId);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_reader is not null)
        {
            await _reader;
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}

internal sealed class CdpException(string message) : Exception(message);
