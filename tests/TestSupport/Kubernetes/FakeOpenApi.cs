using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// Just enough OpenAPI v3 for <c>kubectl apply</c> (1.31) with its default <c>--validate=strict</c>: kubectl reads
/// <c>/openapi/v3</c>, then the document of the object's group version, and looks for the kind's PATCH operation
/// (by its <c>x-kubernetes-group-version-kind</c> and <c>x-kubernetes-action</c>) taking a <c>fieldValidation</c>
/// parameter. Finding it, kubectl leaves validation to the server (it sends <c>fieldValidation=Strict</c>, which the
/// fake accepts without checking); without it, kubectl validates on its side with <c>/openapi/v2</c> and fails
/// with "failed to download openapi". No schemas are served: to patch an existing object kubectl then also asks
/// <c>/openapi/v2</c> (404 here) and builds the strategic merge patch from its compiled-in types. (Seen with -v=6.)
/// </summary>
public static class FakeOpenApi
{
    public static JsonObject Root() => new()
    {
        ["paths"] = new JsonObject(FakeResourceKind.All.Select(kind => kind.GroupVersionPath.TrimStart('/')).Distinct()
            .Select(path => KeyValuePair.Create(path, (JsonNode?)new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + path + "?hash=fake" }))),
    };

    /// <summary>The document of one group version (<c>api/v1</c>, <c>apis/apps/v1</c>), or null when the fake does not serve it.</summary>
    public static JsonObject? GroupVersion(string path)
    {
        var kinds = FakeResourceKind.All.Where(kind => kind.GroupVersionPath.TrimStart('/') == path).ToList();
        if (kinds.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var kind in kinds)
        {
            var gvk = new JsonObject
            {
                ["group"] = kind.Group,
                ["version"] = kind.ApiVersion[(kind.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..],
                ["kind"] = kind.Kind,
            };
            paths[kind.CollectionRoute.Replace("{ns}", "{namespace}", StringComparison.Ordinal) + "/{name}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = "patch" + kind.Kind,
                    ["parameters"] = new JsonArray(new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = gvk,
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = $"v1.{FakeDiscovery.Minor}.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }
}
