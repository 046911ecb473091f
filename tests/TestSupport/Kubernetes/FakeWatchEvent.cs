using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>One change in the fake's store: <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>, with the object as it was then.</summary>
public sealed record FakeWatchEvent(string Type, FakeResourceKind Kind, string Namespace, long ResourceVersion, JsonObject Resource)
{
    /// <summary>The object before a MODIFIED change, so a filtered watch can tell an object entering or leaving its selectors.</summary>
    public JsonObject? Previous { get; init; }

    /// <summary>
    /// The event a watch filtered by <paramref name="matches"/> sees, or null: as the real watch cache does it, a
    /// change that takes an object out of the selection is a DELETED, one that brings it in an ADDED.
    /// </summary>
    public FakeWatchEvent? Through(Func<JsonObject, bool> matches)
    {
        var now = matches(Resource);
        if (Type != "MODIFIED" || Previous is null)
        {
            return now ? this : null;
        }

        var before = matches(Previous);
        return (before, now) switch
        {
            (true, true) => this,
            (false, true) => this with { Type = "ADDED" },
            (true, false) => this with { Type = "DELETED" },
            _ => null,
        };
    }

    /// <summary>The event as a watch stream line carries it: <c>{"type":..,"object":..}</c>.</summary>
    public string ToLine() => new JsonObject { ["type"] = Type, ["object"] = Resource.DeepClone() }.ToJsonString();
}
