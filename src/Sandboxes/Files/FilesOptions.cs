using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>Limits of the workspace file API (the Files tab).</summary>
public sealed class FilesOptions
{
    /// <summary>
    /// Largest file read or written as text (the editor's limit). Larger files are listed and downloadable, never
    /// loaded whole into the server. Capped at 8 MiB: a read travels in one exec whose output the runtime bounds.
    /// </summary>
    [ConfigurationKeyName("REMOLT_FILES_MAX_TEXT_BYTES")]
    [Range(1024, 8L * 1024 * 1024)]
    public long MaxTextBytes { get; set; } = 2L * 1024 * 1024;

    /// <summary>Largest raw upload (a dropped file), streamed into the sandbox.</summary>
    [ConfigurationKeyName("REMOLT_FILES_MAX_UPLOAD_BYTES")]
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;
}
