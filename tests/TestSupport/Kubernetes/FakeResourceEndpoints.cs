using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// Create, get, replace (PUT), patch and delete of every stored kind under <c>/api/v1</c> and
/// <c>/apis/{group}/{version}</c>; a created pod goes to the pod backend, a deleted one is deleted by it.
/// </summary>
internal static class FakeResourceEndpoints
{
    public static void Map(IEndpointRouteBuilder app, FakeResourceStore store, IFakePodBackend pods)
    {
        foreach (var kind in FakeResourceKind.All)
        {
            var prefix = kind.GroupVersionPath;
            app.MapPost(prefix + "/namespaces/{ns}/" + kind.Plural, async (HttpContext http, string ns) =>
            {
                var created = store.Create(kind, ns, await ReadObjectAsync(http));
                if (kind == FakeResourceKind.Pods)
                {
                    pods.Start(ns, created["metadata"]!["name"]!.GetValue<string>());
                }

                return FakeApiEndpoints.Json(created, StatusCodes.Status201Created);
            });
            app.MapGet(prefix + "/namespaces/{ns}/" + kind.Plural + "/{name}", (string ns, string name) => FakeApiEndpoints.Json(store.Get(kind, ns, name)));
            app.MapPut(prefix + "/namespaces/{ns}/" + kind.Plural + "/{name}", async (HttpContext http, string ns, string name) =>
                FakeApiEndpoints.Json(store.Replace(kind, ns, name, await ReadObjectAsync(http))));
            app.MapPatch(prefix + "/namespaces/{ns}/" + kind.Plural + "/{name}", async (HttpContext http, string ns, string name) =>
            {
                var contentType = http.Request.ContentType?.Split(';')[0].Trim() ?? "";
                var patch = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted)
                    ?? throw new FakeApiException(400, "BadRequest", "the patch is empty");
                return FakeApiEndpoints.Json(store.Patch(kind, ns, name, current => FakePatch.Apply(current, patch, contentType)));
            });
            app.MapDelete(prefix + "/namespaces/{ns}/" + kind.Plural + "/{name}", (string ns, string name) =>
                FakeApiEndpoints.Json(kind == FakeResourceKind.Pods ? pods.Delete(ns, name) : store.Delete(kind, ns, name)));
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext http) =>
        await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject
            ?? throw new FakeApiException(400, "BadRequest", "the body is not a JSON object");
}
