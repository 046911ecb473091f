using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>Limits of workspace upload (the original had none).</summary>
public sealed class WorkspaceOptions
{
    /// <summary>Largest upload body, compressed. Past it the upload is refused with 413 and nothing is extracted.</summary>
    [ConfigurationKeyName("REMOLT_MAX_UPLOAD_BYTES")]
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Largest total size of the files in an upload once unpacked (a gzip bomb stops here, before tar runs).</summary>
    [ConfigurationKeyName("REMOLT_MAX_UPLOAD_UNPACKED_BYTES")]
    [Range(1, long.MaxValue)]
    public long MaxUnpackedBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Uploads in progress at once across the server (each is staged in the temp folder); past it, 429.</summary>
    [ConfigurationKeyName("REMOLT_MAX_CONCURRENT_UPLOADS")]
    [Range(1, 1000)]
    public int MaxConcurrentUploads { get; set; } = 4;
}
