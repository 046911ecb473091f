using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// The one HTTP client of every proxy. Upstreams are addressed as <c>http://{key}.sandbox:{port}/</c>, where the key
/// stands for a sandbox; the handler's connect callback turns that into
/// <see cref="ISandboxRuntime.ConnectAsync"/> (a relay to the sandbox's own 127.0.0.1:port), so services bound to
/// the sandbox's loopback are reachable and the app needs no route into sandbox networks. HttpClient then pools
/// and reuses those relays per sandbox and port like any connection. The key is the sandbox id itself, hex-encoded
/// (host names are case-insensitive and limited in their characters), so nothing is remembered per sandbox.
/// </summary>
internal sealed class SandboxUpstream : IDisposable
{
    private const string HostSuffix = ".sandbox";

    // Relays are processes in the sandbox; an idle one is closed before typical upstream keep-alive timeouts
    // (node's is 5 s), so a request rarely meets a connection the upstream is closing.
    private static readonly TimeSpan s_pooledIdle = TimeSpan.FromSeconds(4);

    private readonly ISandboxRuntime _runtime;
    private readonly SocketsHttpHandler _handler;

    public SandboxUpstream(ISandboxRuntime runtime, IOptions<ProxyOptions> options)
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
        Invoker = new HttpMessageInvoker(new HeadersTimeoutHandler(TimeSpan.FromSeconds(options.Value.HeadersTimeoutSeconds), _handler), disposeHandler: true);
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

    /// <summary>The host label(s) standing for <paramref name="sandboxId"/>: its UTF-8 bytes in hex, 60 digits a label.</summary>
    internal static string KeyOf(string sandboxId)
    {
        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(sandboxId));
        if (hex.Length == 0 || hex.Length > 200)
        {
            throw new ArgumentException($"A sandbox id of {sandboxId.Length} characters cannot be named in a host.", nameof(sandboxId));
        }

        return string.Join('.', hex.Chunk(60).Select(label => new string(label)));
    }

    /// <summary>The sandbox id named by an upstream host (<see cref="KeyOf"/> plus the suffix), or null.</summary>
    internal static string? SandboxIdOf(string host)
    {
        if (!host.EndsWith(HostSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var hex = host[..^HostSuffix.Length].Replace(".", "", StringComparison.Ordinal);
        try
        {
            return hex.Length is > 0 and <= 200 ? Encoding.UTF8.GetString(Convert.FromHexString(hex)) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var sandboxId = SandboxIdOf(host) ?? throw new HttpRequestException($"No sandbox is known as {host}.");
        return await _runtime.ConnectAsync(sandboxId, context.DnsEndPoint.Port, cancellationToken);
    }

    public void Dispose()
    {
        Invoker.Dispose();
        _handler.Dispose();
    }
}
