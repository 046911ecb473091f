using Microsoft.Extensions.Primitives;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Which of a browser's request headers go to the upstream: everything except hop-by-hop headers, the app's
/// credentials (Authorization, the app's cookies) and headers the proxy sets itself (Host, X-Forwarded-*).
/// </summary>
internal static class RequestHeaderPolicy
{
    // RFC 9110 section 7.6.1 plus the de-facto ones; headers listed in Connection are dropped as well.
    private static readonly HashSet<string> s_hopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade",
    };

    private static readonly HashSet<string> s_neverForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Authorization", "Cookie", "Expect", "Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
        "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Real-IP",
    };

    // A WebSocket client builds its own handshake.
    private static readonly HashSet<string> s_webSocketHandshake = new(StringComparer.OrdinalIgnoreCase)
    {
        "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol", "Sec-WebSocket-Accept",
    };

    /// <summary>The headers to send upstream, in order, before the proxy's own ones.</summary>
    /// <param name="forwardOrigin">False for sockets of VS Code and previews (the original did not forward it).</param>
    public static IEnumerable<KeyValuePair<string, StringValues>> Forwarded(IHeaderDictionary headers, bool webSocket, bool forwardOrigin)
    {
        var listedInConnection = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in headers.Connection)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                listedInConnection.Add(token);
            }
        }

        foreach (var header in headers)
        {
            var name = header.Key;
            if (s_hopByHop.Contains(name) || s_neverForwarded.Contains(name) || listedInConnection.Contains(name)
                || (webSocket && s_webSocketHandshake.Contains(name))
                || (!forwardOrigin && name.Equals("Origin", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            yield return header;
        }

        if (ProxyCookies.FilterRequestCookies(headers.Cookie) is { } cookies)
        {
            yield return new("Cookie", cookies);
        }
    }

    /// <summary>
    /// X-Forwarded-* describing the browser's request, for upstreams that build absolute URLs. None for the agent's
    /// dashboard: the relay reaches it from the sandbox's loopback, and OpenClaw's gateway refuses a loopback peer
    /// that carries forwarded headers (403 proxy_attribution_required) unless it is told to trust the peer and the
    /// forwarded client is not loopback itself, which a browser on the server's machine is. Without them the
    /// gateway sees a direct local client, which the session's owner (the only one let through) is in effect.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, StringValues>> ForwardedFor(HttpContext http, ProxyTarget target)
    {
        if (target.Kind == ProxyKind.Dashboard)
        {
            yield break;
        }

        var prefix = target.Prefix;
        if (http.Connection.RemoteIpAddress is { } remote)
        {
            yield return new("X-Forwarded-For", remote.ToString());
        }

        yield return new("X-Forwarded-Proto", http.Request.Scheme);
        if (http.Request.Host.HasValue)
        {
            yield return new("X-Forwarded-Host", http.Request.Host.Value);
        }

        yield return new("X-Forwarded-Prefix", prefix.TrimEnd('/'));
    }
}
