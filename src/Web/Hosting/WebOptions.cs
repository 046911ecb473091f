using System.ComponentModel.DataAnnotations;

namespace RemoltBlazor.Web.Hosting;

/// <summary>Settings of the HTTP surface; names are the original's environment variables.</summary>
internal sealed class WebOptions
{
    /// <summary>Comma-separated origins allowed for CORS and WebSockets besides the app's own origin.</summary>
    [ConfigurationKeyName("REMOLT_ALLOWED_ORIGINS")]
    public string AllowedOrigins { get; set; } = "http://localhost:5173";

    /// <summary>Reported as <c>version</c> by /health.</summary>
    [ConfigurationKeyName("COMMIT_SHA")]
    [Required(AllowEmptyStrings = false)]
    public string Version { get; set; } = "dev";

    public IReadOnlyList<string> AllowedOriginList =>
        [.. AllowedOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(o => o.TrimEnd('/'))];
}
