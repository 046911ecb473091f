using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Endpoints;

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetAsync);
        return routes;
    }

    private static async Task<HealthResponse> GetAsync(SessionManager sessions, IOptions<WebOptions> options, CancellationToken cancellationToken)
    {
        var probe = await sessions.Runtime.ProbeAsync(cancellationToken);
        return new HealthResponse("ok", sessions.LiveCount, options.Value.Version, sessions.Runtime.Name, probe.Available);
    }
}
