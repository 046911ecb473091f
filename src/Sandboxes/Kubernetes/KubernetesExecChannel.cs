using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// One exec WebSocket with the channel protocol (<c>v5.channel.k8s.io</c> or <c>v4</c>): every message is
/// <c>[channel][payload]</c>, 0 stdin, 1 stdout, 2 stderr, 3 the exit status (a <c>Status</c> object), 4 resize, and on
/// v5 255 closes a channel (<c>[255, 0]</c> is EOF on stdin). Reads pull one message at a time from the socket as the
/// consumer asks, so a slow consumer slows the command instead of filling memory; KubernetesClient's StreamDemuxer
/// reads ahead into 40 MB buffers per channel and blocks a thread per read, which a terminal per user cannot afford.
/// </summary>
internal sealed class KubernetesExecChannel : IAsyncDisposable
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Status = 3;
    public const byte Resize = 4;
    private const byte Close = 255;

    /// <summary>What a kubelet sends per message at most is far less; bigger stdin writes are split to this.</summary>
    private const int MaxFrame = 32 * 1024;

    private readonly WebSocket _socket;
    // Not disposed: a send racing the disposal must fail on the socket, not on the lock (no wait handle is ever made).
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private byte[] _message = new byte[MaxFrame + 1];

    public KubernetesExecChannel(WebSocket socket, string pod)
    {
        _socket = socket;
        Pod = pod;
        SupportsClose = socket.SubProtocol == KubernetesExecConnector.V5;
    }

    public string Pod { get; }

    /// <summary>v5: stdin can be closed while the output keeps coming; v4 has no way to say EOF.</summary>
    public bool SupportsClose { get; }

    /// <summary>
    /// The next message with a payload; <c>null</c> when the server closed the socket or the connection broke. The
    /// payload is valid until the next call (single reader).
    /// </summary>
    public async ValueTask<(byte Channel, ReadOnlyMemory<byte> Payload)?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            try
            {
                do
                {
                    if (length == _message.Length)
                    {
                        Array.Resize(ref _message, _message.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(_message.AsMemory(length), cancellationToken);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            // The server's first message is an empty stdout frame, and a v5 close of a channel we only read says nothing new.
            if (length < 2 || _message[0] == Close)
            {
                continue;
            }

            return (_message[0], _message.AsMemory(1, length - 1));
        }
    }

    public async ValueTask SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var frame = ArrayPool<byte>.Shared.Rent(Math.Min(data.Length, MaxFrame) + 1);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            frame[0] = channel;
            var offset = 0;
            do
            {
                var count = Math.Min(data.Length - offset, MaxFrame);
                data.Slice(offset, count).CopyTo(frame.AsMemory(1));
                await _socket.SendAsync(frame.AsMemory(0, count + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
                offset += count;
            }
            while (offset < data.Length);
        }
        finally
        {
            _sendLock.Release();
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public ValueTask ResizeAsync(TerminalSize size, CancellationToken cancellationToken) =>
        SendAsync(Resize, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, int> { ["Width"] = size.Columns, ["Height"] = size.Rows }), cancellationToken);

    /// <summary>EOF on the command's stdin (v5 only).</summary>
    /// <exception cref="SandboxRuntimeException">The cluster speaks v4 only.</exception>
    public async ValueTask CloseStdinAsync(CancellationToken cancellationToken)
    {
        if (!SupportsClose)
        {
            throw new SandboxRuntimeException(
                "This cluster's exec protocol (v4.channel.k8s.io: Kubernetes API older than 1.30) cannot close a command's input, " +
                "so streamed uploads cannot end; upgrade the cluster to 1.30 or later.");
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(new byte[] { Close, Stdin }, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// The exit code in a channel-3 <c>Status</c>: Success is 0, NonZeroExitCode carries the code in its causes;
    /// anything else (the command could not start) is the runtime's exception with the server's message.
    /// </summary>
    public static int ExitCode(ReadOnlySpan<byte> status, string pod)
    {
        using var document = JsonDocument.Parse(status.ToArray());
        var root = document.RootElement;
        var state = root.TryGetProperty("status", out var s) ? s.GetString() : null;
        if (state == "Success")
        {
            return 0;
        }

        if (root.TryGetProperty("reason", out var reason) && reason.GetString() == "NonZeroExitCode"
            && root.TryGetProperty("details", out var details) && details.TryGetProperty("causes", out var causes))
        {
            foreach (var cause in causes.EnumerateArray())
            {
                if (cause.TryGetProperty("reason", out var r) && r.GetString() == "ExitCode"
                    && cause.TryGetProperty("message", out var m) && int.TryParse(m.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
                {
                    return code;
                }
            }
        }

        var message = root.TryGetProperty("message", out var text) ? text.GetString() : root.GetRawText();
        throw new SandboxRuntimeException($"The exec in pod {pod} failed: {message}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server went first; nothing to close.
        }
        finally
        {
            _socket.Abort();
            _socket.Dispose();
        }
    }
}
