using System.Text.Json;

namespace RemoltBlazor.Web.Components.Pages.Launch;

/// <summary>The browser's record of its current session (<c>remolt:session</c>: the original's SessionResp JSON).</summary>
public static class StoredSession
{
    public const string StorageKey = "remolt:session";

    /// <summary>The stored <c>session_id</c>, or null for anything missing or unreadable.</summary>
    public static string? ReadId(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("session_id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
