using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// Create, get, replace (PUT), patch and delete of every stored kind under <c>/api/v1</c> and
/// <c>/apis/{group}/{version}</c>. Admission as the real server's: a namespaced object needs its namespace, a pod
/// must pass the namespace's Pod Security level; a created pod goes to the pod backend, which also deletes it; a
/// deleted namespace takes its objects with it.
/// </summary>
internal static class FakeResourceEndpoints
{
    public static void Map(IEndpointRouteBuilder app, FakeResourceStore store, IFakePodBackend pods)
    {
        foreach (var kind in FakeResourceKind.All)
        {
            var collection = kind.CollectionRoute;
            app.MapPost(collection, async (HttpContext http) =>
            {
                var ns = Namespace(http);
                var body = await ReadObjectAsync(http);
                Admit(store, kind, ns, body);
                var created = store.Create(kind, ns, body);
                if (kind == FakeResourceKind.Pods)
                {
                    pods.Start(ns, created["metadata"]!["name"]!.GetValue<string>());
                }

                return FakeApiEndpoints.Json(created, StatusCodes.Status201Created);
            });
            app.MapGet(collection + "/{name}", (HttpContext http, string name) => FakeApiEndpoints.Json(store.Get(kind, Namespace(http), name)));
            app.MapPut(collection + "/{name}", async (HttpContext http, string name) =>
                FakeApiEndpoints.Json(store.Replace(kind, Namespace(http), name, await ReadObjectAsync(http))));
            app.MapPatch(collection + "/{name}", async (HttpContext http, string name) =>
            {
                var contentType = http.Request.ContentType?.Split(';')[0].Trim() ?? "";
                var patch = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted)
                    ?? throw new FakeApiException(400, "BadRequest", "the patch is empty");
                return FakeApiEndpoints.Json(store.Patch(kind, Namespace(http), name, current => FakePatch.Apply(current, patch, contentType)));
            });
            app.MapDelete(collection + "/{name}", (HttpContext http, string name) => FakeApiEndpoints.Json(Delete(store, pods, kind, Namespace(http), name)));
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext http) =>
        await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject
            ?? throw new FakeApiException(400, "BadRequest", "the body is not a JSON object");

    private static string Namespace(HttpContext http) => http.GetRouteValue("ns") as string ?? "";

    private static void Admit(FakeResourceStore store, FakeResourceKind kind, string ns, JsonObject body)
    {
        if (!kind.Namespaced)
        {
            return;
        }

        if (!store.Exists(FakeResourceKind.Namespaces, "", ns))
        {
            throw new FakeApiException(404, "NotFound", $"namespaces \"{ns}\" not found", FakeResourceKind.Namespaces, ns);
        }

        if (kind == FakeResourceKind.Pods)
        {
            FakePodSecurity.Admit(store.Get(FakeResourceKind.Namespaces, "", ns), body);
        }
    }

    private static JsonObject Delete(FakeResourceStore store, IFakePodBackend pods, FakeResourceKind kind, string ns, string name)
    {
        if (kind == FakeResourceKind.Pods)
        {
            return pods.Delete(ns, name);
        }

        if (kind == FakeResourceKind.Namespaces)
        {
            var gone = store.Get(kind, "", name);
            foreach (var namespaced in FakeResourceKind.All.Where(k => k.Namespaced))
            {
                foreach (var item in store.List(namespaced, name, LabelSelector.Parse(null), FieldSelector.Parse(null)).Items)
                {
                    Delete(store, pods, namespaced, name, item["metadata"]!["name"]!.GetValue<string>());
                }
            }

            store.Delete(kind, "", name);
            return gone;
        }

        return store.Delete(kind, ns, name);
    }
}
