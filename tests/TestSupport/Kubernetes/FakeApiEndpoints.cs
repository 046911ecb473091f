using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// The fake's REST surface: discovery, and create/get/list/watch/delete of the stored kinds under
/// <c>/api/v1</c> and <c>/apis/{group}/{version}</c>, with errors as <c>Status</c> objects.
/// </summary>
internal static class FakeApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, FakeResourceStore store, IFakePodBackend pods)
    {
        app.MapGet("/version", () => Json(FakeDiscovery.Version()));
        app.MapGet("/api", () => Json(FakeDiscovery.CoreVersions()));
        app.MapGet("/apis", () => Json(FakeDiscovery.Groups()));
        app.MapGet("/api/{version}", (string version) => Discovery(version));
        app.MapGet("/apis/{group}/{version}", (string group, string version) => Discovery(group + "/" + version));

        FakePodEndpoints.Map(app, store, pods);

        foreach (var kind in FakeResourceKind.All)
        {
            app.MapGet(kind.GroupVersionPath + "/" + kind.Plural, (HttpContext http) => ListOrWatchAsync(http, store, kind, null));
            if (kind.Namespaced)
            {
                app.MapGet(kind.CollectionRoute, (HttpContext http, string ns) => ListOrWatchAsync(http, store, kind, ns));
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

    private static async Task ListOrWatchAsync(HttpContext http, FakeResourceStore store, FakeResourceKind kind, string? ns)
    {
        var query = http.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        if (query["watch"] is ["true" or "1"])
        {
            await WatchAsync(http, store, kind, ns, labels, fields);
            return;
        }

        var (items, resourceVersion) = store.List(kind, ns, labels, fields);
        var list = new JsonObject
        {
            ["kind"] = kind.ListKind,
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(items.Select(item => (JsonNode?)item).ToArray()),
        };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(list.ToJsonString(), http.RequestAborted);
    }

    // One JSON object per line, flushed as it happens, until the client goes or timeoutSeconds is up (then the
    // stream just ends, as the real server's does, and a client re-watches from the last resourceVersion it saw).
    private static async Task WatchAsync(HttpContext http, FakeResourceStore store, FakeResourceKind kind, string? ns, LabelSelector labels, FieldSelector fields)
    {
        long? since = long.TryParse(http.Request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : null;
        var timeout = int.TryParse(http.Request.Query["timeoutSeconds"], CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        ends.CancelAfter(timeout);
        var events = store.Watch(since, out var unwatch);
        http.Response.ContentType = "application/json";
        // The headers go out now, not with the first event: a client's request returns (and its own timeout runs) before anything changes.
        await http.Response.StartAsync(ends.Token);
        await http.Response.Body.FlushAsync(ends.Token);
        try
        {
            await foreach (var change in events.ReadAllAsync(ends.Token))
            {
                if (change.Kind == kind && (ns is null || change.Namespace == ns) && labels.Matches(change.Resource) && fields.Matches(change.Resource))
                {
                    await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(change.ToLine() + "\n"), ends.Token);
                    await http.Response.Body.FlushAsync(ends.Token);
                }
            }
        }
        catch (OperationCanceledException) when (ends.IsCancellationRequested)
        {
            // The client went away or the watch's time is up: both end the stream normally.
        }
        finally
        {
            unwatch();
        }
    }

    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, status);
}
