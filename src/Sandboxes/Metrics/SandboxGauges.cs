using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Metrics;

/// <summary>
/// The observable gauges: live sessions by state and agent (read from <see cref="SessionManager"/> at scrape time)
/// and ready warm sandboxes by agent. A separate service from <see cref="RemoltMetrics"/> because the session
/// manager records into that one: the gauges need the manager, the manager needs the counters. Started as a hosted
/// service so the gauges exist from the start. Every agent and state is reported, zeros included: a series that
/// stopped being reported would keep its last value in the exporter.
/// </summary>
internal sealed class SandboxGauges(RemoltMetrics metrics, SessionManager sessions, WarmPool warmPool, AgentCatalog agents) : IHostedService
{
    private static readonly (SessionState State, string Name)[] s_states =
        [(SessionState.Creating, "creating"), (SessionState.Running, "running"), (SessionState.Ending, "ending")];

    private ObservableGauge<int>? _sessions;
    private ObservableGauge<int>? _warm;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sessions ??= metrics.Meter.CreateObservableGauge("remolt.sessions", ObserveSessions, "{session}", "Live sessions by state and agent");
        _warm ??= metrics.Meter.CreateObservableGauge("remolt.warm_pool.size", ObserveWarmPool, "{sandbox}", "Ready warm sandboxes by agent");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal IEnumerable<Measurement<int>> ObserveSessions()
    {
        var live = sessions.Snapshot();
        foreach (var agent in agents.All.Select(a => a.Id).Union(live.Select(s => s.AgentId), StringComparer.Ordinal))
        {
            foreach (var (state, name) in s_states)
            {
                var count = live.Count(s => s.State == state && string.Equals(s.AgentId, agent, StringComparison.Ordinal));
                yield return new Measurement<int>(count, new KeyValuePair<string, object?>("state", name), new KeyValuePair<string, object?>("agent", agent));
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveWarmPool() =>
        warmPool.ReadySizes.Select(pair => new Measurement<int>(pair.Value, new KeyValuePair<string, object?>("agent", pair.Key)));
}
