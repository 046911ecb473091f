using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Data;

/// <summary>Where the app keeps its database and event log. Names are the original's environment variables.</summary>
public sealed class DataOptions
{
    /// <summary>Folder for the SQLite database (created if missing). Relative paths are relative to the working directory.</summary>
    [ConfigurationKeyName("REMOLT_DATA_DIR")]
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Optional append-only JSON lines file for events (the original's REMOLT_EVENTS_LOG).</summary>
    [ConfigurationKeyName("REMOLT_EVENTS_LOG")]
    public string? EventsLogPath { get; set; }

    /// <summary>Whether events are also written as JSON lines to stdout, as the original does.</summary>
    [ConfigurationKeyName("REMOLT_EVENTS_STDOUT")]
    public bool EventsToStdout { get; set; } = true;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, "remolt.db"));
}
