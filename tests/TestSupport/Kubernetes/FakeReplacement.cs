using System.Globalization;
using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// What a PUT or PATCH makes of an object, as the API server does it: the resourceVersion precondition, the name
/// that cannot change, metadata the server owns (uid, creationTimestamp, deletion, generation) kept, generation
/// bumped when the spec changes, and the status kept for kinds whose status is a subresource.
/// </summary>
internal static class FakeReplacement
{
    /// <exception cref="FakeApiException">409 Conflict on a stale resourceVersion; 400 when the name differs.</exception>
    public static JsonObject Of(FakeResourceKind kind, string name, JsonObject current, JsonObject body)
    {
        var currentMetadata = current["metadata"]!.AsObject();
        var metadata = body["metadata"] as JsonObject ?? [];
        if (metadata["resourceVersion"]?.ToString() is { } expected && expected != currentMetadata["resourceVersion"]!.ToString())
        {
            throw new FakeApiException(409, "Conflict", $"Operation cannot be fulfilled on {kind.Plural}{kind.GroupSuffix} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", kind, name);
        }

        if (metadata["name"]?.ToString() is { } renamed && renamed != name)
        {
            throw new FakeApiException(400, "BadRequest", $"the name of the object ({renamed}) does not match the name on the URL ({name})");
        }

        var replaced = (JsonObject)body.DeepClone();
        replaced["kind"] = kind.Kind;
        replaced["apiVersion"] = kind.ApiVersion;
        var newMetadata = (JsonObject)metadata.DeepClone();
        foreach (var kept in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            newMetadata[kept] = currentMetadata[kept]?.DeepClone();
        }

        if (!JsonNode.DeepEquals(current["spec"], replaced["spec"]))
        {
            newMetadata["generation"] = (currentMetadata["generation"] is { } generation ? long.Parse(generation.ToString(), CultureInfo.InvariantCulture) : 1L) + 1;
        }

        replaced["metadata"] = newMetadata;
        if (kind.HasStatus)
        {
            replaced["status"] = current["status"]?.DeepClone();
        }

        return replaced;
    }
}
