using System.Text.Json;
using System.Text.Json.Serialization;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// The terminals' preferences, kept per browser in localStorage under <see cref="StorageKey"/>. wwwroot/js/terminal-prefs.js
/// reads and writes the same JSON and tells every open terminal when it changes (Ctrl+= in one terminal, the settings
/// dialog, the toolbar); this class is the settings dialog's view of it and the one place the limits are named.
/// </summary>
public sealed record TerminalViewPreferences
{
    public const string StorageKey = "remolt:terminal";
    public const int DefaultFontSize = 14;
    public const int MinFontSize = 8;
    public const int MaxFontSize = 32;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    [JsonPropertyName("fontSize")]
    public int FontSize { get; init; } = DefaultFontSize;

    [JsonPropertyName("copyOnSelect")]
    public bool CopyOnSelect { get; init; } = true;

    /// <summary><c>auto</c> (WebGL where a GPU draws it, else the DOM), <c>webgl</c> (whenever it starts) or <c>dom</c>.</summary>
    [JsonPropertyName("renderer")]
    public string Renderer { get; init; } = "auto";

    public static IReadOnlyList<string> Renderers { get; } = ["auto", "webgl", "dom"];

    /// <summary>Stored JSON to preferences; anything unreadable or out of range falls back to the defaults, field by field.</summary>
    public static TerminalViewPreferences Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new();
        }

        try
        {
            var stored = JsonSerializer.Deserialize<TerminalViewPreferences>(json, s_json) ?? new();
            return stored with
            {
                FontSize = Math.Clamp(stored.FontSize, MinFontSize, MaxFontSize),
                Renderer = Renderers.Contains(stored.Renderer) ? stored.Renderer : "auto",
            };
        }
        catch (JsonException)
        {
            return new();
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>The font size <paramref name="delta"/> points bigger (or smaller), within the limits.</summary>
    public TerminalViewPreferences Zoom(int delta) => this with { FontSize = Math.Clamp(FontSize + delta, MinFontSize, MaxFontSize) };
}
