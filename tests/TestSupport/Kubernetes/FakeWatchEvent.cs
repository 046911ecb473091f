using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>One change in the fake's store: <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>, with the object as it was then.</summary>
public sealed record FakeWatchEvent(string Type, FakeResourceKind Kind, string Namespace, long ResourceVersion, JsonObject Resource)
{
    /// <summary>The event as a watch stream line carries it: <c>{"type":..,"object":..}</c>.</summary>
    public string ToLine() => new JsonObject { ["type"] = Type, ["object"] = Resource.DeepClone() }.ToJsonString();
}
