using Microsoft.Extensions.Options;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// The Origin check of every socket and state-changing API request: no Origin (a non-browser client), the app's own
/// origin, or one of REMOLT_ALLOWED_ORIGINS. The original allowed only the configured list, so a same-origin browser
/// was refused until an operator set it. "Own" means Origin == scheme://Host only when that Host is on the allow-list:
/// a DNS-rebinding page is same-origin with itself under the attacker's name.
/// </summary>
internal sealed class OriginPolicy(IOptions<WebOptions> options, HostAllowList hosts, Proxy.AppsOrigin apps)
{
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        // "null" (sandboxed frames, opaque origins) and anything else unparsable is foreign.
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var own = $"{request.Scheme}://{request.Host.Value}";
        var normalized = $"{uri.Scheme}://{uri.Authority}";
        // A REMOLT_APPS_HOST subdomain is its own origin too (its pages open sockets to it), never the app's.
        var served = hosts.IsAllowed(request.Host) || apps.IsAppsHost(request.Host);
        return (served && string.Equals(normalized, own, StringComparison.OrdinalIgnoreCase))
            || options.Value.AllowedOriginList.Contains(normalized, StringComparer.OrdinalIgnoreCase);
    }
}
