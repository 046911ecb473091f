using Microsoft.AspNetCore.Http.Features;

namespace RemoltBlazor.Web.Proxy;

/// <summary>The raw request path below a proxy prefix, exactly as the browser sent it (no decoding, no re-encoding).</summary>
internal static class ProxyPaths
{
    /// <summary>
    /// The raw path after the first <paramref name="prefixSegments"/> segments, starting with '/'; null when the
    /// path ends right after the prefix without a slash (<c>/proxy/{id}</c>), which is redirected to add it.
    /// </summary>
    public static string? RawRest(HttpContext http, int prefixSegments)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            raw = http.Request.PathBase.Add(http.Request.Path).ToUriComponent(); // Absolute-form targets: rebuild.
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? raw : raw[..query];
        var index = 0;
        for (var i = 0; i < prefixSegments; i++)
        {
            index = path.IndexOf('/', index + 1);
            if (index < 0)
            {
                return null;
            }
        }

        return path[index..];
    }
}
