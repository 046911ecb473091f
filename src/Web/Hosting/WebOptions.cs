using System.ComponentModel.DataAnnotations;

namespace RemoltBlazor.Web.Hosting;

/// <summary>Settings of the HTTP surface; names are the original's environment variables.</summary>
internal sealed class WebOptions
{
    /// <summary>
    /// Comma-separated origins allowed for CORS (with credentials) and WebSockets besides the app's own origin. Empty
    /// by default: the original's <c>http://localhost:5173</c> let any page on that common dev port drive the server.
    /// </summary>
    [ConfigurationKeyName("REMOLT_ALLOWED_ORIGINS")]
    public string AllowedOrigins { get; set; } = "";

    /// <summary>
    /// Comma-separated host names the app answers to (<c>name</c>, <c>name:port</c> or <c>*.domain</c>). Empty means
    /// the loopback names (localhost, 127.0.0.1, [::1]) on any port, so a DNS-rebinding page cannot drive a local server;
    /// a server reached under any other name must list it.
    /// </summary>
    [ConfigurationKeyName("REMOLT_ALLOWED_HOSTS")]
    public string AllowedHosts { get; set; } = "";

    /// <summary>Reported as <c>version</c> by /health.</summary>
    [ConfigurationKeyName("COMMIT_SHA")]
    [Required(AllowEmptyStrings = false)]
    public string Version { get; set; } = "dev";

    public IReadOnlyList<string> AllowedOriginList =>
        [.. AllowedOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(o => o.TrimEnd('/'))];
}
