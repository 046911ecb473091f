namespace RemoltBlazor.Web.Operations;

/// <summary>
/// <c>GET /health/ready</c>: 200 <c>{"status": "ready", "checks": [...]}</c> when the database and the sandbox runtime
/// answer, 503 with <c>unready</c> and each check's reason otherwise. Open without sign-in, like <c>/health</c>
/// (which stays the liveness answer: the process runs). Orchestrators route traffic by this one.
/// </summary>
internal static class ReadinessEndpoint
{
    public const string Path = "/health/ready";

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, GetAsync)
            .AllowAnonymous()
            .WithTags("Health")
            .WithSummary("Readiness: the database and the sandbox runtime answer")
            .Produces<ReadinessReport>(StatusCodes.Status200OK)
            .Produces<ReadinessReport>(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<IResult> GetAsync(HttpContext http, ReadinessChecks checks, CancellationToken cancellationToken)
    {
        var report = await checks.CheckAsync(cancellationToken);
        // Never cached: the answer is about this moment.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
