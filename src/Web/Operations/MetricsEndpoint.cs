using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Web.Endpoints;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Operations;

/// <summary>
/// <c>GET /metrics</c>: OpenTelemetry's Prometheus exporter over the <c>RemoltBlazor</c> meter. The meter is enabled
/// through the host's metrics builder with <see cref="MeterScope.Local"/>, so only meters this host's
/// <c>IMeterFactory</c> created are read: two apps in one process (tests) never see each other's numbers.
/// Admins only, like <c>/api/admin</c> (the same role check; an admin's access token counts), unless
/// <c>REMOLT_METRICS_PUBLIC=true</c>; anyone else gets the same 404 as an unknown route.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void AddRemoltMetricsExporter(this IServiceCollection services)
    {
        services.AddMetrics(metrics => metrics.EnableMetrics(RemoltMetrics.MeterName, instrumentName: null, listenerName: null, MeterScope.Local));
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("remoltblazor"))
            .WithMetrics(metrics => metrics.AddPrometheusExporter(prometheus =>
        {
            // Every scrape sees the numbers of that moment (the default caches answers for 300 ms).
            prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
        }));
    }

    public static IEndpointRouteBuilder MapRemoltMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: pipeline => pipeline.Use(async (http, next) =>
        {
            if (!http.RequestServices.GetRequiredService<IOptions<OperationsOptions>>().Value.MetricsPublic && !CallerName.IsAdmin(http))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                await http.Response.WriteAsJsonAsync(new ErrorResponse("Not Found"));
                return;
            }

            await next(http);
        }), optionsName: null)
            // Open to the pipeline's sign-in check: the admin check above answers 404 rather than a sign-in redirect.
            .AllowAnonymous()
            .ExcludeFromDescription();
        return routes;
    }
}
