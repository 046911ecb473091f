using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>upstream.js run with the host's node on a free loopback port, for tests with the fake runtime.</summary>
internal sealed class HostUpstream : IAsyncDisposable
{
    private readonly Process _process;

    private HostUpstream(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<HostUpstream> StartAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("node", [UpstreamScript.PathOnHost, port.ToString(), "127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15));
        line.ShouldNotBeNull().ShouldContain("listening");
        return new HostUpstream(process, port);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }
}
