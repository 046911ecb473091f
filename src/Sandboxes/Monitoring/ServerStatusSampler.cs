using System.Globalization;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Monitoring;

/// <summary>
/// The server panel's slow parts, refreshed with the stats (not every tick): the runtime's health (its probe asked
/// at most every <see cref="ProbeInterval"/>), the warm pool's ready count (one database query) and the host's load.
/// The live session count comes from each tick itself.
/// </summary>
internal sealed class ServerStatusSampler(
    ISandboxRuntime runtime, WarmSandboxStore warmSandboxes, AgentCatalog agents, IOptions<SessionOptions> options, TimeProvider time)
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(10);
    private const string LoadAveragePath = "/proc/loadavg";

    private RuntimeProbe? _probe;
    private DateTimeOffset _probedAt;
    private volatile Slow _slow = new(null, 0, []);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_probe is null || now - _probedAt >= ProbeInterval)
        {
            _probe = await runtime.ProbeAsync(cancellationToken);
            _probedAt = now;
        }

        var ready = options.Value.WarmPoolSize > 0
            ? (await warmSandboxes.ListAsync(WarmSandboxState.Ready, cancellationToken)).Count
            : 0;
        _slow = new Slow(_probe, ready, ReadLoadAverage());
    }

    public ServerStatus Compose(int liveSessions, DateTimeOffset now)
    {
        var settings = options.Value;
        var slow = _slow;
        return new ServerStatus(
            runtime.Name,
            slow.Probe?.Available ?? false,
            slow.Probe?.Detail ?? "not checked yet",
            liveSessions,
            settings.MaxSessions,
            settings.MaxUserSessions,
            settings.WarmPoolSize * agents.All.Count(a => a.WarmPool),
            slow.WarmReady,
            slow.LoadAverage,
            Environment.ProcessorCount,
            now);
    }

    /// <summary>The 1, 5 and 15 minute load averages of <c>/proc/loadavg</c>; empty where there is no such file.</summary>
    internal static IReadOnlyList<double> ParseLoadAverage(string text)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = new List<double>(3);
        foreach (var field in fields.Take(3))
        {
            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return [];
            }

            values.Add(value);
        }

        return values.Count == 3 ? values : [];
    }

    private static IReadOnlyList<double> ReadLoadAverage()
    {
        try
        {
            return ParseLoadAverage(File.ReadAllText(LoadAveragePath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private sealed record Slow(RuntimeProbe? Probe, int WarmReady, IReadOnlyList<double> LoadAverage);
}
