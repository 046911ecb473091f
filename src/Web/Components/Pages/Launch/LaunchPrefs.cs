using System.Net.Mail;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RemoltBlazor.Web.Components.Pages.Launch;

/// <summary>
/// What the launch form remembers in localStorage under the original frontend's key <c>remolt:prefs</c>
/// (<c>{gitUserName, gitUserEmail, agentType}</c>), so both UIs share it.
/// </summary>
public sealed class LaunchPrefs
{
    public const string StorageKey = "remolt:prefs";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    [JsonPropertyName("gitUserName")]
    public string? GitUserName { get; set; }

    [JsonPropertyName("gitUserEmail")]
    public string? GitUserEmail { get; set; }

    [JsonPropertyName("agentType")]
    public string? AgentType { get; set; }

    /// <summary>Reads stored prefs; anything unreadable (another app's junk, an old format) gives empty prefs.</summary>
    public static LaunchPrefs Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new LaunchPrefs();
        }

        try
        {
            return JsonSerializer.Deserialize<LaunchPrefs>(json, s_json) ?? new LaunchPrefs();
        }
        catch (JsonException)
        {
            return new LaunchPrefs();
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Form errors a user can fix; empty when the form may be submitted.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (GitUserName is { Length: > 200 })
        {
            errors.Add("Git name is too long (200 characters at most).");
        }

        if (!string.IsNullOrWhiteSpace(GitUserEmail) && !MailAddress.TryCreate(GitUserEmail.Trim(), out _))
        {
            errors.Add("Git email does not look like an email address.");
        }

        return errors;
    }
}
