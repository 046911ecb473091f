using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>
/// Another site on this machine (a dev server on some local port, or an attacker's page the user opened): serves one
/// blank page on 127.0.0.1, so a browser test can run script from an origin that is not the app's.
/// </summary>
internal sealed class ForeignSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ForeignSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The site's origin, on the name <c>localhost</c> like a dev server's.</summary>
    public Uri Address { get; }

    public static async Task<ForeignSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", () => Results.Content("<!doctype html><title>foreign</title><p>another site</p>", "text/html"));
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new ForeignSite(app, new Uri($"http://localhost:{bound.Port}/"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
