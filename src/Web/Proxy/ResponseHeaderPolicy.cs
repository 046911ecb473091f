namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// What an upstream's response headers become. Every value of every header is kept (repeated Set-Cookie
/// included, which the original collapsed), except hop-by-hop headers and headers whose meaning would reach past the
/// sandbox into the app's origin; cookie paths and redirects are moved under the proxy prefix; framing
/// protections are lifted only where the app frames the page; previews get a sandbox CSP.
/// </summary>
internal static class ResponseHeaderPolicy
{
    /// <summary>
    /// Served with every preview: the page runs scripts but in an opaque origin, so it cannot read the app's
    /// cookies or storage nor call its API with them. No allow-same-origin, on purpose.
    /// </summary>
    public const string PreviewSandboxPolicy = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

    private static readonly HashSet<string> s_dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        // Hop-by-hop (RFC 9110 section 7.6.1); Kestrel frames the body itself.
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        // Would apply to the app's whole origin: HSTS, wiping the app's cookies and storage, other protocols.
        "Strict-Transport-Security", "Clear-Site-Data", "Alt-Svc",
    };

    /// <summary>Each header to send to the browser (name, values), for one upstream response.</summary>
    public static IEnumerable<KeyValuePair<string, string[]>> Rewrite(
        IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, ProxyTarget target)
    {
        foreach (var (name, values) in headers)
        {
            if (s_dropped.Contains(name))
            {
                continue;
            }

            if (name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
            {
                string[] cookies = [.. values.Select(v => ProxyCookies.RewriteSetCookie(v, target.Prefix)).OfType<string>()];
                if (cookies.Length > 0)
                {
                    yield return new(name, cookies);
                }

                continue;
            }

            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Location", StringComparison.OrdinalIgnoreCase))
            {
                yield return new(name, [.. values.Select(v => RewriteLocation(v, target))]);
                continue;
            }

            if (FramingFilter(name, values, target.Kind) is { } kept)
            {
                if (kept.Length > 0)
                {
                    yield return new(name, kept);
                }

                continue;
            }

            yield return new(name, [.. values]);
        }

        if (target.Kind == ProxyKind.Preview)
        {
            // Added beside any CSP of the page's own: browsers enforce every policy, so this one always holds.
            yield return new("Content-Security-Policy", [PreviewSandboxPolicy]);
        }
    }

    /// <summary>
    /// A redirect to the upstream itself (its loopback address, or a root-relative path) pointed back through the
    /// proxy; anything else (another site) unchanged.
    /// </summary>
    public static string RewriteLocation(string location, ProxyTarget target)
    {
        if (location.StartsWith("//", StringComparison.Ordinal))
        {
            return Uri.TryCreate("http:" + location, UriKind.Absolute, out var schemeRelative) && IsUpstream(schemeRelative, target)
                ? target.Prefix + schemeRelative.PathAndQuery.TrimStart('/') + schemeRelative.Fragment
                : location;
        }

        if (location.StartsWith('/'))
        {
            return location.StartsWith(target.Prefix, StringComparison.Ordinal) ? location : target.Prefix + location[1..];
        }

        if (Uri.TryCreate(location, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" or "ws" or "wss"
            && IsUpstream(absolute, target))
        {
            return target.Prefix + absolute.PathAndQuery.TrimStart('/') + absolute.Fragment;
        }

        return location;
    }

    private static bool IsUpstream(Uri uri, ProxyTarget target) =>
        SandboxUpstream.IsUpstreamAuthority(uri.Host, uri.IsDefaultPort ? null : uri.Port, target.Port)
        || (uri.IsDefaultPort && target.Port == 80 && SandboxUpstream.IsUpstreamAuthority(uri.Host, null, 80));

    /// <summary>
    /// X-Frame-Options and CSP as the app's iframes need them. Null: the header is not a framing header (copy it
    /// as is). Empty: drop it.
    /// </summary>
    private static string[]? FramingFilter(string name, IEnumerable<string> values, ProxyKind kind)
    {
        var isFrameOptions = name.Equals("X-Frame-Options", StringComparison.OrdinalIgnoreCase);
        var isCsp = name.Equals("Content-Security-Policy", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Content-Security-Policy-Report-Only", StringComparison.OrdinalIgnoreCase);
        if (!isFrameOptions && !isCsp)
        {
            return null;
        }

        switch (kind)
        {
            case ProxyKind.Dashboard:
                // As the original: the dashboard's own policies would refuse the app's iframe or its rewritten base path.
                return [];
            case ProxyKind.VsCode when isFrameOptions:
                // The iframe is same-origin, so SAMEORIGIN lets it be; only DENY would blank it.
                return [.. values.Where(v => !v.Trim().Equals("DENY", StringComparison.OrdinalIgnoreCase))];
            case ProxyKind.VsCode:
                return [.. values.Select(WithoutFrameAncestors).Where(v => v.Length > 0)];
            default:
                return [.. values];
        }
    }

    private static string WithoutFrameAncestors(string policy) =>
        string.Join("; ", policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(d => !d.StartsWith("frame-ancestors", StringComparison.OrdinalIgnoreCase)));
}
