using System.Text;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Cookies across the proxy. The app's own cookies (its sign-in, antiforgery, the root-socket hint) are credentials
/// for the app and never reach sandbox code (the original forwarded them, section 12 item 4); the sandbox's cookies
/// are kept under the proxy path so they neither spread over the app nor shadow its cookies.
/// </summary>
internal static class ProxyCookies
{
    /// <summary>Names the app uses or may use: <c>remolt_auth</c>, <c>remolt_*</c>, ASP.NET Core's <c>.AspNetCore.*</c>.</summary>
    public static bool IsAppCookie(ReadOnlySpan<char> name) =>
        name.StartsWith("remolt", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(".AspNetCore.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("__Host-remolt", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("__Secure-remolt", StringComparison.OrdinalIgnoreCase);

    /// <summary>The request's Cookie header(s) without the app's cookies; null when nothing is left.</summary>
    public static string? FilterRequestCookies(IEnumerable<string?> headers)
    {
        var kept = new StringBuilder();
        foreach (var header in headers)
        {
            if (string.IsNullOrEmpty(header))
            {
                continue;
            }

            foreach (var part in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                var name = (eq < 0 ? part : part[..eq]).Trim();
                if (name.Length == 0 || IsAppCookie(name))
                {
                    continue;
                }

                if (kept.Length > 0)
                {
                    kept.Append("; ");
                }

                kept.Append(part);
            }
        }

        return kept.Length == 0 ? null : kept.ToString();
    }

    /// <summary>
    /// An upstream Set-Cookie value with its Path moved under <paramref name="prefix"/> (a missing Path becomes the
    /// prefix) and its Domain dropped (it named the upstream, not the app). Null when the cookie takes an app
    /// cookie's name, which a sandbox must not be able to set or overwrite.
    /// </summary>
    public static string? RewriteSetCookie(string setCookie, string prefix)
    {
        var parts = setCookie.Split(';');
        var eq = parts[0].IndexOf('=', StringComparison.Ordinal);
        var name = (eq < 0 ? parts[0] : parts[0][..eq]).Trim();
        if (name.Length == 0 || IsAppCookie(name))
        {
            return null;
        }

        var result = new StringBuilder(parts[0].Trim());
        var hasPath = false;
        for (var i = 1; i < parts.Length; i++)
        {
            var attribute = parts[i].Trim();
            var attrEq = attribute.IndexOf('=', StringComparison.Ordinal);
            var attrName = attrEq < 0 ? attribute : attribute[..attrEq].Trim();
            if (attribute.Length == 0 || attrName.Equals("Domain", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (attrName.Equals("Path", StringComparison.OrdinalIgnoreCase))
            {
                var path = attrEq < 0 ? "" : attribute[(attrEq + 1)..].Trim();
                result.Append("; Path=").Append(prefix).Append(path.TrimStart('/'));
                hasPath = true;
                continue;
            }

            result.Append("; ").Append(attribute);
        }

        if (!hasPath)
        {
            result.Append("; Path=").Append(prefix);
        }

        return result.ToString();
    }
}
