using System.IO.Compression;
using System.Text;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// OpenClaw's control UI reads its base path from <c>__OPENCLAW_CONTROL_UI_BASE_PATH__=""</c> in its HTML (newer
/// gateways: an attribute on <c>&lt;html&gt;</c>, with absolute asset paths); under the proxy it must be
/// <c>/proxy/{id}/</c> (behaviour page, section 8.1). Only dashboard HTML is touched, and only when
/// the marker is there; a body too large to hold is passed through untouched.
/// </summary>
internal static class OpenClawBasePath
{
    public const string Marker = "__OPENCLAW_CONTROL_UI_BASE_PATH__";

    /// <summary>Newer gateways (2026.9): the base path is an attribute on <c>&lt;html&gt;</c>.</summary>
    private const string AttributeName = "data-openclaw-control-ui-base-path";
    private const string AttributeMarker = AttributeName + "=\"\"";

    /// <summary>HTML above this size is streamed as is (a control UI's index page is a few kilobytes).</summary>
    public const int MaxRewriteBytes = 4 * 1024 * 1024;

    private static readonly byte[] s_markerBytes = Encoding.ASCII.GetBytes(Marker);
    private static readonly byte[] s_attributeBytes = Encoding.ASCII.GetBytes(AttributeMarker);

    public static bool AppliesTo(ProxyTarget target, string? contentType) =>
        target.Kind == ProxyKind.Dashboard && contentType is not null && contentType.Contains("text/html", StringComparison.OrdinalIgnoreCase);

    public static string Rewrite(string html, string prefix)
    {
        html = html.Replace(Marker + "=\"\"", $"{Marker}=\"{prefix}\"", StringComparison.Ordinal);
        if (!html.Contains(AttributeMarker, StringComparison.Ordinal))
        {
            return html;
        }

        // Newer gateways: the base path is an attribute on <html>, and the page's own assets are absolute.
        var basePath = prefix.TrimEnd('/');
        return html
            .Replace(AttributeMarker, $"{AttributeName}=\"{basePath}\"", StringComparison.Ordinal)
            .Replace("=\"/assets/", $"=\"{basePath}/assets/", StringComparison.Ordinal);
    }

    /// <summary>
    /// The body to send instead of <paramref name="body"/>, decoded from <paramref name="contentEncoding"/> when it
    /// holds the marker; null when it does not (send the original bytes, headers unchanged).
    /// </summary>
    public static byte[]? TryRewrite(ReadOnlySpan<byte> body, string? contentEncoding, string prefix)
    {
        byte[] plain;
        try
        {
            plain = Decode(body, contentEncoding);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException)
        {
            return null; // Not what it claims to be: pass it on as the upstream sent it.
        }

        if (plain.AsSpan().IndexOf(s_markerBytes) < 0 && plain.AsSpan().IndexOf(s_attributeBytes) < 0)
        {
            return null;
        }

        return Encoding.UTF8.GetBytes(Rewrite(Encoding.UTF8.GetString(plain), prefix));
    }

    private static byte[] Decode(ReadOnlySpan<byte> body, string? contentEncoding)
    {
        var encoding = contentEncoding?.Trim().ToLowerInvariant() ?? "";
        if (encoding is "" or "identity")
        {
            return body.ToArray();
        }

        using var input = new MemoryStream(body.ToArray());
        using Stream decoder = encoding switch
        {
            "gzip" or "x-gzip" => new GZipStream(input, CompressionMode.Decompress),
            "deflate" => new ZLibStream(input, CompressionMode.Decompress),
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            _ => throw new NotSupportedException($"Content-Encoding {encoding}"),
        };
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = decoder.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
            if (output.Length > MaxRewriteBytes * 4L)
            {
                throw new InvalidDataException("Decoded HTML is too large to rewrite.");
            }
        }

        return output.ToArray();
    }
}
