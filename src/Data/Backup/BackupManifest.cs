using System.Text.Json;
using System.Text.Json.Serialization;

namespace RemoltBlazor.Data.Backup;

/// <summary>
/// <c>manifest.json</c> in a backup archive: what wrote it and which schema its database has, so a restore can refuse
/// an archive it does not understand before touching anything.
/// </summary>
public sealed record BackupManifest(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("app_version")] string AppVersion,
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("instance_id")] string InstanceId)
{
    /// <summary>Bumped when the archive's layout changes; a restore refuses formats it does not know.</summary>
    public const int CurrentFormat = 1;

    public const string EntryName = "manifest.json";

    /// <summary>The database file's name inside the archive.</summary>
    public const string DatabaseEntry = "remolt.db";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, s_json);

    /// <summary>Null when the bytes are not a manifest (bad JSON or a field missing).</summary>
    public static BackupManifest? Parse(byte[] json)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<BackupManifest>(json, s_json);
            return manifest is { Schema: not null, InstanceId: not null, AppVersion: not null } ? manifest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
