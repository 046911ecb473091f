namespace RemoltBlazor.Web.Operations;

/// <summary>What an operator needs to run the server: readiness, metrics, API docs, log format and shutdown.</summary>
internal static class OperationsExtensions
{
    public static IHostApplicationBuilder AddRemoltOperations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().Bind(builder.Configuration).ValidateOnStart();
        LogFormat.Apply(builder);
        services.AddOptions<HostOptions>().Configure<Microsoft.Extensions.Options.IOptions<OperationsOptions>>(
            (host, operations) => host.ShutdownTimeout = operations.Value.ShutdownTimeout);
        services.AddSingleton<ReadinessChecks>();
        services.AddRemoltMetricsExporter();
        services.AddRemoltApiDocs();
        return builder;
    }

    public static IEndpointRouteBuilder MapRemoltOperations(this IEndpointRouteBuilder routes)
    {
        routes.MapReadiness();
        routes.MapRemoltMetrics();
        routes.MapRemoltApiDocs();
        return routes;
    }
}
