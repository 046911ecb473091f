using System.Net.WebSockets;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>Sends <c>[channel][payload]</c> binary messages; stdout and stderr pumps share the socket, which allows one sender at a time.</summary>
internal sealed class FakeExecSender(WebSocket socket)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> payload)
    {
        var message = new byte[payload.Length + 1];
        message[0] = channel;
        payload.CopyTo(message.AsMemory(1));
        await _gate.WaitAsync();
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }
}
