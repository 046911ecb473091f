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
        var apps = app.Select(BindingAddress.Parse)
            .Select(a => $"{a.Scheme}://{a.Host}:{AppsPortFor(a.Port).ToString(CultureInfo.InvariantCulture)}")
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        addresses.Addresses.Clear();
        foreach (var address in apps.Concat(app))
        {
            addresses.Addresses.Add(address);
        }
    }

    /// <summary>Whether this request came in on the apps origin.</summary>
    public bool IsAppsRequest(HttpContext http) => _wildcardSuffix.Length > 0
        ? IsAppsHost(http.Request.Host)
        : PortMode && http.Connection.LocalPort == BoundPort;

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

    /// <summary>The port the apps addresses are bound to (a dynamic port is known once Kestrel has bound it).</summary>
    private int BoundPort
    {
        get
        {
            if (_port < 0 && _addresses?.Addresses.FirstOrDefault() is { } first)
            {
                var bound = BindingAddress.Parse(first).Port;
                if (bound != 0)
                {
                    _port = bound;
                }
            }

            return _port;
        }
    }

    private int AppsPortFor(int appPort) => _portSetting.Length > 0
        ? int.Parse(_portSetting, CultureInfo.InvariantCulture)
        : appPort == 0 ? 0 : appPort + 1;
}
