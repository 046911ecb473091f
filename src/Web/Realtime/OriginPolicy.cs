using Microsoft.Extensions.Options;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// WebSocket Origin check: no Origin (a non-browser client), the app's own origin, or one of REMOLT_ALLOWED_ORIGINS.
/// The original allowed only the configured list, so a same-origin browser was refused until an operator set it.
/// </summary>
internal sealed class OriginPolicy(IOptions<WebOptions> options)
{
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var own = $"{request.Scheme}://{request.Host.Value}";
        var normalized = $"{uri.Scheme}://{uri.Authority}";
        return string.Equals(normalized, own, StringComparison.OrdinalIgnoreCase)
            || options.Value.AllowedOriginList.Contains(normalized, StringComparer.OrdinalIgnoreCase);
    }
}
