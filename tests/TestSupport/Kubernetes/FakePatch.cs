using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// The patch types the API server takes on PATCH: JSON merge patch (RFC 7386), strategic merge patch (a merge patch
/// whose lists of named objects merge by their key, with the <c>$patch</c> and <c>$setElementOrder</c> directives
/// kubectl sends), and JSON patch (RFC 6902).
/// </summary>
internal static class FakePatch
{
    public const string Merge = "application/merge-patch+json";
    public const string Strategic = "application/strategic-merge-patch+json";
    public const string Json = "application/json-patch+json";

    // The keys lists of objects merge by in a strategic merge patch (containers, env, volumes, ports ...).
    private static readonly string[] s_mergeKeys = ["name", "containerPort", "port", "mountPath", "ip", "type"];

    /// <summary>Applies <paramref name="patch"/> of <paramref name="contentType"/> to a copy of <paramref name="target"/>.</summary>
    /// <exception cref="FakeApiException">415 for another patch type, 422 for a JSON patch that does not apply.</exception>
    public static JsonObject Apply(JsonObject target, JsonNode patch, string contentType)
    {
        var copy = (JsonObject)target.DeepClone();
        return contentType switch
        {
            Merge => (JsonObject)MergeInto(copy, patch, strategic: false)!,
            Strategic => (JsonObject)MergeInto(copy, patch, strategic: true)!,
            Json => ApplyJsonPatch(copy, patch as JsonArray ?? throw new FakeApiException(400, "BadRequest", "a JSON patch must be an array")),
            _ => throw new FakeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {Json}, {Merge}, {Strategic}"),
        };
    }

    private static JsonNode? MergeInto(JsonNode? target, JsonNode? patch, bool strategic)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        if (strategic && patchObject["$patch"]?.ToString() == "replace")
        {
            var replaced = (JsonObject)patchObject.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (strategic && key.StartsWith('$'))
            {
                continue; // $setElementOrder/..., $retainKeys, $deleteFromPrimitiveList/...: ordering and pruning hints.
            }

            if (value is null)
            {
                result.Remove(key);
            }
            else if (strategic && value is JsonArray list && result[key] is JsonArray existing && MergeKey(list, existing) is { } mergeKey)
            {
                result[key] = MergeList(existing, list, mergeKey);
            }
            else
            {
                var merged = MergeInto(result[key], value, strategic);
                result[key] = merged?.Parent is null ? merged : merged.DeepClone();
            }
        }

        return result;
    }

    private static string? MergeKey(JsonArray patch, JsonArray existing)
    {
        var items = patch.Concat(existing).ToList();
        return items.Count > 0 && items.All(item => item is JsonObject)
            ? s_mergeKeys.FirstOrDefault(key => items.All(item => item![key] is not null || item["$patch"] is not null))
            : null;
    }

    private static JsonArray MergeList(JsonArray existing, JsonArray patch, string mergeKey)
    {
        var result = (JsonArray)existing.DeepClone();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey]?.ToString();
            var index = result.ToList().FindIndex(old => old?[mergeKey]?.ToString() == key);
            if (item["$patch"]?.ToString() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                result[index] = MergeInto(result[index]!.DeepClone(), item, strategic: true);
            }
            else
            {
                result.Add(MergeInto(null, item, strategic: true));
            }
        }

        return result;
    }

    private static JsonObject ApplyJsonPatch(JsonObject target, JsonArray operations)
    {
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = operation["op"]?.ToString();
            var path = operation["path"]?.ToString() ?? "";
            switch (op)
            {
                case "add":
                case "replace":
                    Set(target, path, operation["value"]?.DeepClone(), insert: op == "add");
                    break;
                case "remove":
                    Remove(target, path);
                    break;
                case "test" when !JsonNode.DeepEquals(Get(target, path), operation["value"]):
                    throw new FakeApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                case "test":
                    break;
                case "copy":
                case "move":
                    var from = operation["from"]?.ToString() ?? "";
                    var value = Get(target, from)?.DeepClone();
                    if (op == "move")
                    {
                        Remove(target, from);
                    }

                    Set(target, path, value, insert: true);
                    break;
                default:
                    throw new FakeApiException(422, "Invalid", $"Unexpected kind: {op}");
            }
        }

        return target;
    }

    private static (JsonNode Parent, string Key) Locate(JsonObject root, string path)
    {
        var parts = path.Split('/').Skip(1).Select(part => part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        if (parts.Count == 0)
        {
            throw new FakeApiException(422, "Invalid", "the JSON patch path must not be empty");
        }

        JsonNode node = root;
        foreach (var part in parts[..^1])
        {
            node = (node is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : node[part])
                ?? throw new FakeApiException(422, "Invalid", $"doc is missing path: \"{path}\"");
        }

        return (node, parts[^1]);
    }

    private static JsonNode? Get(JsonObject root, string path)
    {
        var (parent, key) = Locate(root, path);
        return parent is JsonArray array ? array[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : parent[key];
    }

    private static void Set(JsonObject root, string path, JsonNode? value, bool insert)
    {
        var (parent, key) = Locate(root, path);
        if (parent is JsonArray array)
        {
            if (key == "-")
            {
                array.Add(value);
            }
            else if (insert)
            {
                array.Insert(int.Parse(key, System.Globalization.CultureInfo.InvariantCulture), value);
            }
            else
            {
                array[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] = value;
            }
        }
        else
        {
            parent[key] = value;
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var (parent, key) = Locate(root, path);
        if (parent is JsonArray array)
        {
            array.RemoveAt(int.Parse(key, System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (!((JsonObject)parent).Remove(key))
        {
            throw new FakeApiException(422, "Invalid", $"the server rejected our request due to an error in our request: unable to remove nonexistent key: {key}");
        }
    }
}
