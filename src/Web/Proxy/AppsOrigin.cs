using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Where sandbox content (VS Code, dashboards, port previews) is served: an origin of its own, so a page anything in
/// a sandbox serves cannot call the app's API or type into sessions as the signed-in user. Either a wildcard host
/// (REMOLT_APPS_HOST, one subdomain per session) or, by default, a second port on the app's own addresses
/// (REMOLT_APPS_PORT): another port is another origin, although the browser still sends the app's host-scoped
/// cookies there, so the apps origin never reads them (<see cref="AppsTickets"/>).
/// </summary>
internal sealed class AppsOrigin(IOptions<ProxyOptions> options)
{
    public const string Off = "off";

    private readonly string _wildcardSuffix = options.Value.AppsHost.Length > 2 ? options.Value.AppsHost[1..] : "";
    private readonly string _portSetting = options.Value.AppsPort;
    private IServerAddressesFeature? _addresses;
    private int _added;
    private int _total;
    private string _firstApps = "";
    private int _port = -1;

    public bool Enabled => _wildcardSuffix.Length > 0 || _portSetting != Off;

    private bool PortMode => _wildcardSuffix.Length == 0 && _portSetting != Off;

    /// <summary>
    /// Port mode: adds the apps addresses (same scheme and host as each app address, the apps port) before Kestrel
    /// binds. They go first, so the last address stays the app's (what hosting tools report as the app's URL).
    /// </summary>
    public void AddListenAddresses(IServerAddressesFeature? addresses)
    {
        _addresses = addresses;
        if (!PortMode || addresses is null || addresses.Addresses.IsReadOnly)
        {
            return;
        }

        // Nothing configured means Kestrel's own default, which must then be named explicitly.
        var app = addresses.Addresses.Count == 0 ? ["http://localhost:5000"] : addresses.Addresses.ToList();
        var parsed = app.Select(BindingAddress.Parse).ToList();
        // One apps port for all of the app's addresses (the first app port + 1 by default), so it names one origin.
        var port = AppsPortFor(parsed[0].Port).ToString(CultureInfo.InvariantCulture);
        var apps = parsed.Select(a => $"{a.Scheme}://{a.Host}:{port}")
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        addresses.Addresses.Clear();
        foreach (var address in apps.Concat(app))
        {
            addresses.Addresses.Add(address);
        }

        _added = apps.Count;
        _total = apps.Count + app.Count;
        _firstApps = apps[0];
    }

    /// <summary>
    /// Port mode: whether the apps port is bound. It is not when Kestrel binds endpoints of its own configuration
    /// (Kestrel:Endpoints, ListenOptions) and ignores the addresses; sandbox content is then refused, never served
    /// on the app's origin instead.
    /// </summary>
    public bool IsListening => !PortMode || BoundPort > 0;

    /// <summary>Whether this request came in on the apps origin.</summary>
    public bool IsAppsRequest(HttpContext http) => _wildcardSuffix.Length > 0
        ? IsAppsHost(http.Request.Host)
        : PortMode && http.Connection.LocalPort == BoundPort;

    /// <summary>Port mode: whether a bound server address is one of the apps origin's (where the app's own pages are not served).</summary>
    public bool IsAppsAddress(string address) => PortMode && BoundPort > 0 && BindingAddress.Parse(address).Port == BoundPort;

    /// <summary>A host under the REMOLT_APPS_HOST wildcard (always false in port mode).</summary>
    public bool IsAppsHost(HostString host) => _wildcardSuffix.Length > 0
        && host.Host.EndsWith(_wildcardSuffix, StringComparison.OrdinalIgnoreCase)
        && host.Host.Length > _wildcardSuffix.Length;

    /// <summary>Whether an apps-origin request may reach session <paramref name="id"/> (wildcard: its own subdomain only).</summary>
    public bool Serves(HttpContext http, string id) => _wildcardSuffix.Length == 0
        || string.Equals(http.Request.Host.Host, id + _wildcardSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The apps origin of session <paramref name="id"/> as seen from <paramref name="request"/> to the app.</summary>
    public string OriginFor(HttpRequest request, string id)
    {
        if (_wildcardSuffix.Length > 0)
        {
            var port = request.Host.Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "";
            return $"{request.Scheme}://{id}{_wildcardSuffix}{port}";
        }

        return $"{request.Scheme}://{request.Host.Host}:{BoundPort.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The port the apps addresses are bound to, once Kestrel has bound them (-1 before, or when it did not): the
    /// fixed port if some bound address has it; a dynamic one is the first address when the list still has
    /// as many addresses as were added here with the app's (in that order, apps first).
    /// </summary>
    private int BoundPort
    {
        get
        {
            if (_port < 0 && _added > 0 && _addresses is { } feature)
            {
                var bound = feature.Addresses.Select(a => BindingAddress.Parse(a).Port).ToList();
                var configured = BindingAddress.Parse(_firstApps).Port;
                var candidate = configured != 0 ? configured
                    : bound.Count == _total && bound.All(p => p != 0) ? bound[0] : 0;
                if (candidate > 0 && bound.Contains(candidate))
                {
                    _port = candidate;
                }
            }

            return _port;
        }
    }

    private int AppsPortFor(int appPort) => _portSetting.Length > 0
        ? int.Parse(_portSetting, CultureInfo.InvariantCulture)
        : appPort == 0 ? 0 : appPort + 1;
}
