using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace RemoltBlazor.Web.Tests.Fakes;

/// <summary>Starts a small Kestrel app on 127.0.0.1 (any free port) for a fake outside service.</summary>
internal static class LocalHttpServer
{
    public static async Task<(WebApplication App, string BaseUrl)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, app.Urls.First().TrimEnd('/'));
    }

    public static async ValueTask StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
