using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>
/// A throwaway TCP listener on the host bound to 0.0.0.0 (every address, as a server listening on all interfaces
/// does) that answers "ok" and counts whoever got through.
/// </summary>
internal sealed class HostListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Any, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _accepted;

    public HostListener()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connects from the host and returns what the peer sends first (up to 64 bytes, trimmed).</summary>
    public static async Task<string> ReadFromAsync(IPAddress address, int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(address, port, timeout.Token);
        var buffer = new byte[64];
        var read = await client.GetStream().ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read).Trim();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                await client.GetStream().WriteAsync("ok\n"u8.ToArray(), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }
}
