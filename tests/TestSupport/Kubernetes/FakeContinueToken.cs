using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>The <c>continue</c> token of a paged list: the key (namespace/name) of the last item sent and the resourceVersion of the first page, base64 like the real one.</summary>
internal static class FakeContinueToken
{
    public static string Key(JsonObject item) =>
        (item["metadata"]?["namespace"]?.GetValue<string>() ?? "") + "/" + item["metadata"]!["name"]!.GetValue<string>();

    public static string Create(string afterKey, long resourceVersion) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = resourceVersion, ["start"] = afterKey }.ToJsonString()));

    /// <exception cref="FakeApiException">400 for a token the fake did not make.</exception>
    public static (string AfterKey, long ResourceVersion) Parse(string token)
    {
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            if (json?["start"]?.ToString() is { } start && long.TryParse(json["rv"]?.ToString(), CultureInfo.InvariantCulture, out var resourceVersion))
            {
                return (start, resourceVersion);
            }
        }
        catch (Exception error) when (error is FormatException or System.Text.Json.JsonException)
        {
            // Answered below, like a token without its fields.
        }

        throw new FakeApiException(400, "BadRequest", "continue key is not valid: the token was not made by this server");
    }
}
