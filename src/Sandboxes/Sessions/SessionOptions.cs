using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>Session limits and timings. Names and defaults are the original's environment variables.</summary>
public sealed class SessionOptions
{
    /// <summary>Global cap on live sessions.</summary>
    [ConfigurationKeyName("REMOLT_MAX_SESSIONS")]
    [Range(1, 100_000)]
    public int MaxSessions { get; set; } = 10;

    /// <summary>Cap per owner. Unlike the original it also holds without sign-in (for the anonymous owner).</summary>
    [ConfigurationKeyName("REMOLT_MAX_USER_SESSIONS")]
    [Range(1, 100_000)]
    public int MaxUserSessions { get; set; } = 2;

    [ConfigurationKeyName("REMOLT_MAX_IDLE_SECONDS")]
    [Range(1, 10 * 365 * 86400)]
    public int MaxIdleSeconds { get; set; } = 3600;

    [ConfigurationKeyName("REMOLT_CLEANUP_INTERVAL")]
    [Range(1, 86400)]
    public int CleanupIntervalSeconds { get; set; } = 60;

    /// <summary>How often an attach is tried while the sandbox boots (the original: 10 tries, 2 s apart).</summary>
    [ConfigurationKeyName("REMOLT_ATTACH_ATTEMPTS")]
    [Range(1, 100)]
    public int AttachAttempts { get; set; } = 10;

    [ConfigurationKeyName("REMOLT_ATTACH_RETRY_MS")]
    [Range(0, 60_000)]
    public int AttachRetryMilliseconds { get; set; } = 2000;

    /// <summary>Optional hard cap on a session's age, in seconds; 0 means none.</summary>
    [ConfigurationKeyName("REMOLT_MAX_SESSION_LIFETIME")]
    [Range(0, 10 * 365 * 86400)]
    public int MaxLifetimeSeconds { get; set; }

    /// <summary>How long before an idle or lifetime end a connected user is warned (at most half the idle timeout).</summary>
    [ConfigurationKeyName("REMOLT_IDLE_WARNING_SECONDS")]
    [Range(0, 86400)]
    public int IdleWarningSeconds { get; set; } = 300;

    /// <summary>Sandbox CPU use (percent of one core, averaged between sweeps) that counts as an agent at work.</summary>
    [ConfigurationKeyName("REMOLT_ACTIVITY_CPU_PERCENT")]
    [Range(0.01, 1000)]
    public double ActivityCpuPercent { get; set; } = 1;

    /// <summary>Pre-created sandboxes kept ready per agent whose agent.json says <c>warm_pool: true</c>; 0 turns the pool off.</summary>
    [ConfigurationKeyName("REMOLT_WARM_POOL")]
    [Range(0, 100)]
    public int WarmPoolSize { get; set; }

    /// <summary>How often the warm pool is refilled and checked.</summary>
    [ConfigurationKeyName("REMOLT_WARM_POOL_INTERVAL")]
    [Range(1, 3600)]
    public int WarmPoolIntervalSeconds { get; set; } = 5;

    public TimeSpan MaxIdle => TimeSpan.FromSeconds(MaxIdleSeconds);

    public TimeSpan? MaxLifetime => MaxLifetimeSeconds > 0 ? TimeSpan.FromSeconds(MaxLifetimeSeconds) : null;

    public TimeSpan IdleWarning => TimeSpan.FromSeconds(Math.Min(IdleWarningSeconds, MaxIdleSeconds / 2.0));

    public TimeSpan CleanupInterval => TimeSpan.FromSeconds(CleanupIntervalSeconds);

    public TimeSpan AttachRetryDelay => TimeSpan.FromMilliseconds(AttachRetryMilliseconds);

    /// <summary>
    /// When the idle reaper ends a running session if nothing happens before, and why: <c>idle</c>, or
    /// <c>lifetime</c> when the lifetime cap comes first. The reaper acts on it; the admin page counts down to it.
    /// </summary>
    public (DateTimeOffset At, string Reason) EndDeadline(DateTimeOffset createdAt, DateTimeOffset lastActivity)
    {
        var idle = lastActivity + MaxIdle;
        return MaxLifetime is { } lifetime && createdAt + lifetime < idle ? (createdAt + lifetime, "lifetime") : (idle, "idle");
    }
}
