using System.Text.Json;
using System.Text.Json.Nodes;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// The dashboard's first client frame (behaviour page, section 8.2): a JSON object with <c>"method":"connect"</c>
/// gets <c>params.auth.token</c> set to the agent's token when missing or falsy. Unlike the original, a frame that
/// carries <c>params.device</c> passes untouched: current OpenClaw gateways require the browser's device identity
/// ("control ui requires device identity") and check its signature over the auth fields, so removing the device
/// or adding a token to a signed frame makes every connect fail. Such browsers get the token from the iframe's
/// <c>#token=</c> fragment instead. Anything else passes unchanged.
/// </summary>
internal static class ConnectFrameToken
{
    public static string Inject(string frame, string token)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(frame);
        }
        catch (JsonException)
        {
            return frame;
        }

        if (root is not JsonObject message
            || message["method"] is not JsonValue method
            || !method.TryGetValue<string>(out var name) || name != "connect")
        {
            return frame;
        }

        if (message["params"] is JsonObject signed && signed["device"] is not null)
        {
            return frame; // Signed by the browser's device key: any change breaks the signature.
        }

        if (!TryGetOrAddObject(message, "params", out var parameters) || !TryGetOrAddObject(parameters, "auth", out var auth))
        {
            return frame; // "params" or "auth" is something other than an object: not a frame this rule knows.
        }

        if (IsFalsy(auth["token"]))
        {
            auth["token"] = token;
        }

        return message.ToJsonString();
    }

    private static bool TryGetOrAddObject(JsonObject parent, string name, out JsonObject child)
    {
        switch (parent[name])
        {
            case JsonObject existing:
                child = existing;
                return true;
            case null:
                child = [];
                parent[name] = child;
                return true;
            default:
                child = default!;
                return false;
        }
    }

    /// <summary>Python's falsiness for JSON values: null, false, 0, "", [] and {}.</summary>
    private static bool IsFalsy(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.Count == 0,
        JsonValue value when value.GetValueKind() == JsonValueKind.False => true,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>().Length == 0,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.GetValue<double>() == 0,
        _ => false,
    };
}
