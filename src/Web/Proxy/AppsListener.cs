using Microsoft.AspNetCore.Hosting.Server.Features;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Adds the apps origin's addresses to the server's before Kestrel binds: startup filters run after the configured
/// URLs (ASPNETCORE_URLS, --urls, a test host's port) are in the feature and before the server starts.
/// </summary>
internal sealed class AppsListener(AppsOrigin apps) : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        apps.AddListenAddresses(app.ServerFeatures.Get<IServerAddressesFeature>());
        next(app);
    };
}
