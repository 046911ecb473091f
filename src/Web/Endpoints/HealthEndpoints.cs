using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Endpoints;

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetAsync).AllowAnonymous().WithTags("Health").WithSummary("Liveness: the server runs"); // open without sign-in, as in the original
        return routes;
    }

    private static async Task<HealthResponse> GetAsync(SessionManager sessions, ISandboxRuntime runtime, IOptions<WebOptions> options, CancellationToken cancellationToken)
    {
        var probe = await runtime.ProbeAsync(cancellationToken);
        return new HealthResponse("ok", sessions.LiveCount, options.Value.Version, runtime.Name, probe.Available);
    }
}
