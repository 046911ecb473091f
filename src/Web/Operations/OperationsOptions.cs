namespace RemoltBlazor.Web.Operations;

/// <summary>Settings of the operator's surface (metrics, logs, shutdown); every name is new (<c>REMOLT_*</c>).</summary>
internal sealed class OperationsOptions
{
    /// <summary>Whether anyone may read <c>/metrics</c>; by default only admins (cookie or access token), others get 404.</summary>
    [ConfigurationKeyName("REMOLT_METRICS_PUBLIC")]
    public bool MetricsPublic { get; set; }

    /// <summary>
    /// How long a stop (SIGTERM) lets in-flight requests finish before the host gives up on them. A container's stop
    /// timeout must be longer (Docker's default is 10 s: <c>docker stop -t 30</c>, compose's <c>stop_grace_period</c>).
    /// </summary>
    [ConfigurationKeyName("REMOLT_SHUTDOWN_TIMEOUT")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
