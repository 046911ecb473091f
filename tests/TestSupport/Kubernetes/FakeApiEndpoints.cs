using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// The fake's REST surface, with errors as <c>Status</c> objects: discovery and the OpenAPI v3 kubectl apply reads,
/// the pod subresources (<see cref="FakePodEndpoints"/>), list and watch (<see cref="FakeListEndpoints"/>) and the
/// object verbs (<see cref="FakeResourceEndpoints"/>) of every stored kind.
/// </summary>
internal static class FakeApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, FakeResourceStore store, IFakePodBackend pods, TimeSpan bookmarkInterval)
    {
        app.MapGet("/version", () => Json(FakeDiscovery.Version()));
        app.MapGet("/api", () => Json(FakeDiscovery.CoreVersions()));
        app.MapGet("/apis", () => Json(FakeDiscovery.Groups()));
        app.MapGet("/api/{version}", (string version) => Discovery(version));
        app.MapGet("/apis/{group}/{version}", (string group, string version) => Discovery(group + "/" + version));

        app.MapGet("/openapi/v3", () => Json(FakeOpenApi.Root()));
        app.MapGet("/openapi/v3/{**path}", (string path) => FakeOpenApi.GroupVersion(path) is { } document
            ? Json(document)
            : Json(new FakeApiException(404, "NotFound", "the server could not find the requested resource").ToStatus(), StatusCodes.Status404NotFound));
        FakePodEndpoints.Map(app, store, pods);

        foreach (var kind in FakeResourceKind.All)
        {
            app.MapGet(kind.GroupVersionPath + "/" + kind.Plural, (HttpContext http) => FakeListEndpoints.ListOrWatchAsync(http, store, kind, null, bookmarkInterval));
            if (kind.Namespaced)
            {
                app.MapGet(kind.CollectionRoute, (HttpContext http, string ns) => FakeListEndpoints.ListOrWatchAsync(http, store, kind, ns, bookmarkInterval));
            }
        }

        FakeResourceEndpoints.Map(app, store, pods);
    }

    /// <summary>Turns a <see cref="FakeApiException"/> (and a bad selector) into the Status the real server would send.</summary>
    public static async Task HandleErrorsAsync(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http);
        }
        catch (FakeApiException error)
        {
            await WriteStatusAsync(http, error);
        }
        catch (Exception error) when (error is FormatException or System.Text.Json.JsonException)
        {
            await WriteStatusAsync(http, new FakeApiException(400, "BadRequest", error.Message));
        }
    }

    public static async Task WriteStatusAsync(HttpContext http, FakeApiException error)
    {
        http.Response.StatusCode = error.Code;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(error.ToStatus().ToJsonString());
    }

    private static IResult Discovery(string groupVersion) =>
        FakeDiscovery.Resources(groupVersion) is { } resources
            ? Json(resources)
            : Json(new FakeApiException(404, "NotFound", "the server could not find the requested resource").ToStatus(), StatusCodes.Status404NotFound);

    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, status);
}
