using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Logs;

/// <summary>The agent logs stream.</summary>
public sealed class AgentLogsOptions
{
    /// <summary>How long the logs stream waits for an agent's log file to appear (the original: 4 minutes).</summary>
    [ConfigurationKeyName("REMOLT_LOGS_WAIT_SECONDS")]
    [Range(2, 86400)]
    public int LogsWaitSeconds { get; set; } = 240;
}
