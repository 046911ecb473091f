using Microsoft.Extensions.Options;

namespace RemoltBlazor.Web.Hosting;

/// <summary>
/// The Host names the app answers to (REMOLT_ALLOWED_HOSTS). A DNS-rebinding page reaches a local server under its
/// own name (<c>evil.example:5400</c>) and is same-origin with itself there, so the Host header is the one thing that
/// tells it apart from the real app. Entries: <c>name</c> (any port), <c>name:port</c>, <c>*.domain</c> (subdomains,
/// any port). Nothing configured means the loopback names only.
/// </summary>
internal sealed class HostAllowList
{
    public static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private readonly (string Host, int? Port, bool Wildcard)[] _entries;

    public HostAllowList(IOptions<WebOptions> options)
        : this(options.Value.AllowedHosts)
    {
    }

    public HostAllowList(string configured)
    {
        var names = configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _entries = [.. (names.Length == 0 ? LoopbackNames : names).Select(Parse)];
    }

    public bool IsAllowed(HostString host)
    {
        if (!host.HasValue || host.Host.Length == 0)
        {
            return false;
        }

        var name = host.Host.TrimEnd('.');
        return _entries.Any(e => (e.Port is null || e.Port == host.Port) && (e.Wildcard
            ? name.EndsWith(e.Host, StringComparison.OrdinalIgnoreCase) && name.Length > e.Host.Length
            : string.Equals(name, e.Host, StringComparison.OrdinalIgnoreCase)));
    }

    private static (string Host, int? Port, bool Wildcard) Parse(string entry)
    {
        var parsed = new HostString(entry);
        var wildcard = parsed.Host.StartsWith("*.", StringComparison.Ordinal);
        // "*.apps.example.com" keeps its dot, so "xapps.example.com" does not match.
        return (wildcard ? parsed.Host[1..] : parsed.Host.TrimEnd('.'), parsed.Port, wildcard);
    }
}
