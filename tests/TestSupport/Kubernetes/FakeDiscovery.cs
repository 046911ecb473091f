using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// The discovery documents kubectl reads before anything else (plain APIVersions / APIGroupList / APIResourceList:
/// kubectl falls back to them from the aggregated format), and the <c>/version</c> its dispatcher picks a binary by.
/// </summary>
public static class FakeDiscovery
{
    /// <summary>The Kubernetes version the fake claims; the kubectl dispatcher on the machine runs the matching kubectl.</summary>
    public const string Minor = "31";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = Minor,
        ["gitVersion"] = $"v1.{Minor}.0",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.22.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(),
    };

    public static JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(FakeResourceKind.All.Where(kind => kind.Group.Length > 0).Select(kind => kind.ApiVersion).Distinct()
            .Select(groupVersion => (JsonNode?)new JsonObject
            {
                ["name"] = groupVersion[..groupVersion.IndexOf('/', StringComparison.Ordinal)],
                ["versions"] = new JsonArray(GroupVersion(groupVersion)),
                ["preferredVersion"] = GroupVersion(groupVersion),
            }).ToArray()),
    };

    /// <summary>The APIResourceList of one group version, or null when the fake does not serve it.</summary>
    public static JsonObject? Resources(string groupVersion)
    {
        var kinds = FakeResourceKind.All.Where(kind => kind.ApiVersion == groupVersion).ToList();
        if (kinds.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var kind in kinds)
        {
            resources.Add(Resource(kind.Plural, kind.Kind, ["create", "delete", "get", "list", "watch", "update", "patch"], kind.ShortName, kind.Namespaced));
            if (kind == FakeResourceKind.Pods)
            {
                resources.Add(Resource("pods/status", "Pod", ["get", "patch", "update"], null, true));
                resources.Add(Resource("pods/exec", "PodExecOptions", ["create", "get"], null, true));
                resources.Add(Resource("pods/log", "Pod", ["get"], null, true));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = groupVersion,
            ["resources"] = resources,
        };
    }

    private static JsonObject GroupVersion(string groupVersion) =>
        new() { ["groupVersion"] = groupVersion, ["version"] = groupVersion[(groupVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] };

    private static JsonObject Resource(string name, string kind, string[] verbs, string? shortName, bool namespaced)
    {
        var resource = new JsonObject
        {
            ["name"] = name,
            ["singularName"] = name.Contains('/', StringComparison.Ordinal) ? "" : kind.ToLowerInvariant(),
            ["namespaced"] = namespaced,
            ["kind"] = kind,
            ["verbs"] = new JsonArray(verbs.Select(verb => (JsonNode?)verb).ToArray()),
        };
        if (shortName is not null)
        {
            resource["shortNames"] = new JsonArray(shortName);
        }

        return resource;
    }
}
