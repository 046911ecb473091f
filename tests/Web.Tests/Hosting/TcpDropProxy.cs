using System.Net;
using System.Net.Sockets;

namespace RemoltBlazor.Web.Tests.Hosting;

/// <summary>
/// A TCP forwarder in front of the app that can cut every open connection at once, the way a network blip does,
/// while still accepting new ones. The browser talks to the app only through it.
/// </summary>
internal sealed class TcpDropProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly Lock _gate = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TcpDropProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Loopback, target.Port);
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>While set, new connections are reset at once: the network stays down until it is cleared.</summary>
    public bool Refusing { get; set; }

    /// <summary>Resets every connection open right now.</summary>
    public int DropAll()
    {
        List<(TcpClient Client, TcpClient Upstream)> open;
        lock (_gate)
        {
            open = [.. _connections];
            _connections.Clear();
        }

        foreach (var (client, upstream) in open)
        {
            try
            {
                client.Client?.LingerState = new LingerOption(true, 0); // RST, not a polite FIN
            }
            catch (ObjectDisposedException)
            {
                // Already closed by its pump.
            }

            client.Dispose();
            upstream.Dispose();
        }

        return open.Count;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Refusing)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            lock (_gate)
            {
                _connections.Add((client, upstream));
            }

            _ = PumpAsync(client.GetStream(), upstream.GetStream(), client, upstream);
            _ = PumpAsync(upstream.GetStream(), client.GetStream(), client, upstream);
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, TcpClient client, TcpClient upstream)
    {
        try
        {
            await from.CopyToAsync(to);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Dropped on purpose, or the peer closed.
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
