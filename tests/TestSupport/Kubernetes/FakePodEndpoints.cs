using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>The pod subresources the fake serves: <c>exec</c> (WebSocket, <see cref="FakeExec"/>) and <c>log</c> (container, follow, tailLines).</summary>
internal static class FakePodEndpoints
{
    public static void Map(IEndpointRouteBuilder app, FakeResourceStore store, IFakePodBackend pods)
    {
        app.Map("/api/v1/namespaces/{ns}/pods/{name}/exec", (HttpContext http, string ns, string name) => FakeExec.HandleAsync(http, store, pods, ns, name));
        app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/log", (HttpContext http, string ns, string name) => LogAsync(http, store, pods, ns, name));
    }

    private static async Task LogAsync(HttpContext http, FakeResourceStore store, IFakePodBackend pods, string ns, string name)
    {
        var pod = store.Get(FakeResourceKind.Pods, ns, name);
        var query = http.Request.Query;
        var container = FakePodContainers.Resolve(pod, query["container"]);
        var status = (pod["status"]?["containerStatuses"] as JsonArray ?? []).FirstOrDefault(s => s?["name"]?.GetValue<string>() == container);
        if (status?["state"]?["waiting"] is { } waiting)
        {
            var reason = waiting["reason"]?.GetValue<string>() == "ImagePullBackOff" ? "trying and failing to pull image" : waiting["reason"]?.GetValue<string>();
            throw new FakeApiException(400, "BadRequest", $"container \"{container}\" in pod \"{name}\" is waiting to start: {reason}");
        }

        if (status is null && pods is FakeDockerPods)
        {
            throw new FakeApiException(400, "BadRequest", $"container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating");
        }

        int? tailLines = int.TryParse(query["tailLines"], CultureInfo.InvariantCulture, out var tail) ? tail : null;
        http.Response.ContentType = "text/plain";
        await http.Response.StartAsync(http.RequestAborted);
        try
        {
            await pods.WriteLogAsync(pod, container, query["follow"] is ["true" or "1"], tailLines, http.Response.Body, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // kubectl logs -f ends when its user stops it.
        }
    }
}
