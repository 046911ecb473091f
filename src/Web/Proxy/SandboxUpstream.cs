using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// The one HTTP client of every proxy. Upstreams are addressed as <c>http://{key}.sandbox:{port}/</c>, where the key
/// stands for a sandbox; the handler's connect callback turns that into
/// <see cref="ISandboxRuntime.ConnectAsync"/> (a relay to the sandbox's own 127.0.0.1:port), so services bound to
/// the sandbox's loopback are reachable and the app needs no route into sandbox networks. HttpClient then pools
/// and reuses those relays per sandbox and port like any connection.
/// </summary>
internal sealed class SandboxUpstream : IDisposable
{
    private const string HostSuffix = ".sandbox";

    // Relays are processes in the sandbox; an idle one is closed before typical upstream keep-alive timeouts
    // (node's is 5 s), so a request rarely meets a connection the upstream is closing.
    private static readonly TimeSpan s_pooledIdle = TimeSpan.FromSeconds(4);

    private readonly ISandboxRuntime _runtime;
    private readonly SocketsHttpHandler _handler;
    private readonly ConcurrentDictionary<string, string> _sandboxByKey = new(StringComparer.Ordinal);

    public SandboxUpstream(ISandboxRuntime runtime)
    {
        _runtime = runtime;
        _handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionIdleTimeout = s_pooledIdle,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = 64,
            ConnectCallback = ConnectAsync,
        };
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    /// <summary>Shared by HTTP forwarding and <c>ClientWebSocket.ConnectAsync(uri, invoker, ct)</c>.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>The upstream address of <paramref name="pathAndQuery"/> (raw, starting with '/') on a sandbox port.</summary>
    public Uri Address(string sandboxId, int port, string pathAndQuery, bool webSocket = false)
    {
        var key = KeyOf(sandboxId);
        var scheme = webSocket ? "ws" : "http";
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{scheme}://{key}{HostSuffix}:{port}{pathAndQuery}"));
    }

    /// <summary>What the upstream sees as its Host: it believes it is reached on its own loopback.</summary>
    public static string HostHeader(int port) => string.Create(CultureInfo.InvariantCulture, $"localhost:{port}");

    /// <summary>Whether <paramref name="authority"/> (host[:port]) names the upstream on <paramref name="port"/>.</summary>
    public static bool IsUpstreamAuthority(string host, int? uriPort, int port)
    {
        var isLoopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host == "127.0.0.1" || host == "0.0.0.0"
            || host == "[::1]" || host.EndsWith(HostSuffix, StringComparison.OrdinalIgnoreCase);
        return isLoopback && (uriPort ?? 80) == port;
    }

    private string KeyOf(string sandboxId)
    {
        // Host names are case-insensitive and limited to 63 characters a label; sandbox ids are neither, so they
        // are named by a hash, remembered for the connect callback.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sandboxId));
        var key = "s" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
        _sandboxByKey.TryAdd(key, sandboxId);
        return key;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var key = host.EndsWith(HostSuffix, StringComparison.OrdinalIgnoreCase) ? host[..^HostSuffix.Length] : host;
        if (!_sandboxByKey.TryGetValue(key.ToLowerInvariant(), out var sandboxId))
        {
            throw new HttpRequestException($"No sandbox is known as {host}.");
        }

        return await _runtime.ConnectAsync(sandboxId, context.DnsEndPoint.Port, cancellationToken);
    }

    public void Dispose()
    {
        Invoker.Dispose();
        _handler.Dispose();
    }
}
