using Microsoft.Extensions.Options;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Operations;

/// <summary>
/// The REST API described: the OpenAPI document at <c>/openapi/v1.json</c> (ASP.NET Core's generator, which reads the
/// minimal APIs' metadata and the API's snake_case JSON options) and Swagger UI at <c>/api/docs</c> (its assets are
/// embedded in the package, so the page loads nothing from another origin). Both are open without sign-in, like
/// <c>/api/agents</c>: they describe routes, not anybody's data. The document lists <c>/api/*</c>, <c>/health*</c> and
/// <c>/auth/*</c>; pages, sockets and the proxies are not REST and stay out.
/// </summary>
internal static class ApiDocs
{
    public const string DocumentPath = "/openapi/v1.json";

    public const string UiPath = "/api/docs";

    private static readonly string[] s_documentedPrefixes = ["api/", "health", "auth/"];

    public static void AddRemoltApiDocs(this IServiceCollection services)
    {
        services.AddOpenApi(openApi =>
        {
            openApi.ShouldInclude = description =>
                description.RelativePath is { } path && s_documentedPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal));
            openApi.AddDocumentTransformer((document, context, _) =>
            {
                var version = context.ApplicationServices.GetRequiredService<IOptions<WebOptions>>().Value.Version;
                document.Info.Title = "RemoltBlazor API";
                document.Info.Version = version;
                document.Info.Description = "Sessions, agents, keys, tokens and files of RemoltBlazor. Errors are JSON {\"detail\": \"...\"}. "
                    + "Scripts authenticate with a personal access token: Authorization: Bearer rmt_...";
                return Task.CompletedTask;
            });
        });
    }

    public static IEndpointRouteBuilder MapRemoltApiDocs(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi(DocumentPath).AllowAnonymous();

        // Swagger UI is middleware; as an endpoint branch it runs after the app's gates like every other route.
        var ui = routes.CreateApplicationBuilder()
            .UseSwaggerUI(swagger =>
            {
                swagger.RoutePrefix = UiPath.TrimStart('/');
                swagger.DocumentTitle = "RemoltBlazor API";
                swagger.SwaggerEndpoint(DocumentPath, "RemoltBlazor API");
            })
            .Build();
        routes.Map(UiPath + "/{**asset}", ui).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }
}
