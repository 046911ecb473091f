using System.Net.Sockets;

namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>
/// The raw connection the engine hands over after <c>101 UPGRADED</c>: with a TTY it carries raw terminal bytes
/// both ways, without one the output is the 8-byte-header multiplexed stream (<see cref="DockerStreamDemultiplexer"/>).
/// Reads go through HttpClient's stream because it may already hold bytes that followed the headers.
/// </summary>
internal sealed class DockerHijackedStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _stream;
    private readonly Socket _socket;
    private int _disposed;

    public DockerHijackedStream(HttpResponseMessage response, Stream stream, Socket socket)
    {
        _response = response;
        _stream = stream;
        _socket = socket;
    }

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _stream.ReadAsync(buffer, cancellationToken);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(data, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Half-closes the connection: the engine closes the process's stdin (so <c>tar xzf -</c> sees EOF) and keeps
    /// sending output. With a TTY the engine ends the whole exec instead, so terminals never call this.
    /// </summary>
    public void CloseWrite() => _socket.Shutdown(SocketShutdown.Send);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stream.DisposeAsync();
        _response.Dispose();
        _socket.Dispose();
    }
}
