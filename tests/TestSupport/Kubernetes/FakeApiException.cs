using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>An error the fake answers with a <c>Status</c> object, shaped like the real server's.</summary>
public sealed class FakeApiException(int code, string reason, string message, FakeResourceKind? kind = null, string? name = null)
    : Exception(message)
{
    public int Code { get; } = code;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = reason,
            ["code"] = Code,
        };
        if (kind is not null)
        {
            status["details"] = new JsonObject { ["name"] = name, ["kind"] = kind.Plural };
        }

        return status;
    }
}
