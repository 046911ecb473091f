using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// Keeps <c>REMOLT_WARM_POOL</c> sandboxes ready per eligible agent, so a launch skips creation. A sandbox is handed
/// out by a claim recorded in the database before use (the original re-identified sandboxes by a label Docker cannot
/// change and destroyed claimed sessions). Warm sandboxes get the agent's image and limits like a cold one but no
/// session settings: identity, secrets and the agent's setup arrive with the claim. Dead ones are replaced; ready
/// ones are removed when the server stops, and at start (a crash may have left some).
/// </summary>
public sealed partial class WarmPool(
    ISandboxRuntime runtime,
    AgentCatalog agents,
    WarmSandboxStore store,
    EventLog events,
    InstanceIdentity instance,
    IOptions<SessionOptions> options,
    TimeProvider timeProvider,
    ILogger<WarmPool> logger) : BackgroundService
{
    private readonly Lock _stopGate = new();
    private Task? _stopping;
    private IReadOnlyDictionary<string, int> _readySizes = new Dictionary<string, int>();

    public bool Enabled => options.Value.WarmPoolSize > 0;

    /// <summary>Ready sandboxes per eligible agent as of the last fill or claim (the warm pool size gauge); empty when off.</summary>
    public IReadOnlyDictionary<string, int> ReadySizes => Volatile.Read(ref _readySizes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        await ResetAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.WarmPoolIntervalSeconds), timeProvider);
        do
        {
            try
            {
                await CheckHealthAsync(stoppingToken);
                await FillAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // A host can be stopped on two paths at once (WebApplicationFactory stops it, and the app's own Run, woken by
        // that stop, stops it too; the first to finish disposes it). Every caller waits for the one removal: two would
        // race for the same sandboxes (Docker answers 409 to the second), and the quicker caller would let the host
        // dispose the Docker client under the other, leaving a sandbox and its network that nothing removes.
        lock (_stopGate)
        {
            return _stopping ??= StopCoreAsync(cancellationToken);
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Enabled)
        {
            await RemoveReadyAsync(cancellationToken);
        }
    }

    /// <summary>Claims a ready sandbox of the agent for the session; null when none is ready.</summary>
    public async Task<WarmSandboxRecord?> TryClaimAsync(string agentId, string sessionId, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return null;
        }

        var claimed = await store.ClaimAsync(agentId, sessionId, cancellationToken);
        if (claimed is not null)
        {
            var left = RememberSizes(await store.ListAsync(WarmSandboxState.Ready, cancellationToken)).GetValueOrDefault(agentId);
            await events.EmitAsync("warm_pool.claimed", EventFields.Of(("sandbox_id", claimed.SandboxId), ("agent", agentId), ("pool_size", left), ("session_id", sessionId)));
        }

        return claimed;
    }

    /// <summary>The session now owns the sandbox (its row records the sandbox id): the pool forgets it.</summary>
    public Task ReleaseAsync(string sandboxId, CancellationToken cancellationToken) => store.DeleteAsync(sandboxId, cancellationToken);

    /// <summary>A claimed sandbox that did not work out: removed, and the pool refills later.</summary>
    public async Task DiscardAsync(string sandboxId, CancellationToken cancellationToken)
    {
        await RemoveQuietlyAsync(sandboxId, cancellationToken);
        await store.DeleteAsync(sandboxId, cancellationToken);
    }

    internal async Task FillAsync(CancellationToken cancellationToken)
    {
        var size = options.Value.WarmPoolSize;
        var ready = await store.ListAsync(WarmSandboxState.Ready, cancellationToken);
        foreach (var agent in agents.All.Where(a => a.WarmPool))
        {
            for (var have = ready.Count(w => w.AgentId == agent.Id); have < size; have++)
            {
                if (!await CreateOneAsync(agent, have + 1, cancellationToken))
                {
                    break; // The first failure stops this agent's fill until the next tick.
                }
            }
        }

        RememberSizes(await store.ListAsync(WarmSandboxState.Ready, cancellationToken));
    }

    internal async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        var ready = await store.ListAsync(WarmSandboxState.Ready, cancellationToken);
        if (ready.Count == 0)
        {
            return;
        }

        var running = (await runtime.ListManagedAsync(cancellationToken)).Where(s => s.Running).Select(s => s.SandboxId).ToHashSet(StringComparer.Ordinal);
        foreach (var dead in ready.Where(w => !running.Contains(w.SandboxId)))
        {
            LogReplacing(logger, dead.SandboxId);
            await DiscardAsync(dead.SandboxId, cancellationToken);
        }
    }

    private async Task<bool> CreateOneAsync(AgentDefinition agent, int poolSize, CancellationToken cancellationToken)
    {
        var warmId = "warm-" + RandomNumberGenerator.GetHexString(12, lowercase: true);
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["TERM"] = "xterm-256color", ["REMOLT_WARM"] = "1" };
        var spec = new SandboxSpec(warmId, "", agent.Id, agents.ImageFor(agent), env) { InstanceId = instance.Id, Resources = agent.Resources };
        try
        {
            var handle = await runtime.CreateAsync(spec, cancellationToken);

            // Recorded whatever the token says: a sandbox created but never recorded is one that StopAsync cannot
            // find to remove (a stop that lands right here would otherwise leak it).
            await store.AddAsync(new WarmSandboxRecord
            {
                SandboxId = handle.SandboxId,
                AgentId = agent.Id,
                State = WarmSandboxState.Ready,
                CreatedAt = timeProvider.GetUtcNow(),
            }, CancellationToken.None);
            await events.EmitAsync("warm_pool.created", EventFields.Of(("sandbox_id", handle.SandboxId), ("agent", agent.Id), ("pool_size", poolSize)));
            return true;
        }
        catch (SandboxRuntimeException ex)
        {
            LogCreateFailed(logger, agent.Id, ex.Message);
            return false;
        }
    }

    /// <summary>At start: ready rows from before are stale (the reconciler removed their sandboxes as unowned).</summary>
    private async Task ResetAsync(CancellationToken cancellationToken)
    {
        await RemoveReadyAsync(cancellationToken);
        foreach (var claimed in await store.ListAsync(WarmSandboxState.Claimed, cancellationToken))
        {
            await store.DeleteAsync(claimed.SandboxId, cancellationToken);
        }
    }

    private async Task RemoveReadyAsync(CancellationToken cancellationToken)
    {
        foreach (var ready in await store.ListAsync(WarmSandboxState.Ready, cancellationToken))
        {
            await DiscardAsync(ready.SandboxId, cancellationToken);
        }

        RememberSizes([]);
    }

    private IReadOnlyDictionary<string, int> RememberSizes(IReadOnlyList<WarmSandboxRecord> ready)
    {
        var sizes = agents.All.Where(a => a.WarmPool).ToDictionary(a => a.Id, a => ready.Count(w => w.AgentId == a.Id), StringComparer.Ordinal);
        Volatile.Write(ref _readySizes, sizes);
        return sizes;
    }

    private async Task RemoveQuietlyAsync(string sandboxId, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.RemoveAsync(sandboxId, cancellationToken);
        }
        catch (SandboxRuntimeException ex)
        {
            LogCreateFailed(logger, sandboxId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Warm pool tick failed; the next one runs on schedule")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm sandbox {SandboxId} is not running; replacing it")]
    private static partial void LogReplacing(ILogger logger, string sandboxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm pool: {Subject}: {Reason}")]
    private static partial void LogCreateFailed(ILogger logger, string subject, string reason);
}
