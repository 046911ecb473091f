using Microsoft.EntityFrameworkCore;
using RemoltBlazor.Data.Entities;

namespace RemoltBlazor.Data.Sessions;

/// <summary>Warm pool rows. Claiming is one conditional UPDATE, so two claimants can never get the same sandbox.</summary>
public sealed class WarmSandboxStore(IDbContextFactory<RemoltDbContext> contextFactory)
{
    public async Task AddAsync(WarmSandboxRecord record, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.WarmSandboxes.Add(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WarmSandboxRecord>> ListAsync(WarmSandboxState state, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.WarmSandboxes.AsNoTracking().Where(w => w.State == state).OrderBy(w => w.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Marks the oldest ready sandbox of the agent as claimed by the session; null if none is ready.</summary>
    public async Task<WarmSandboxRecord?> ClaimAsync(string agentId, string sessionId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.WarmSandboxes.AsNoTracking()
            .Where(w => w.AgentId == agentId && w.State == WarmSandboxState.Ready)
            .OrderBy(w => w.CreatedAt)
            .Select(w => w.SandboxId)
            .ToListAsync(cancellationToken);
        foreach (var sandboxId in candidates)
        {
            var claimed = await db.WarmSandboxes
                .Where(w => w.SandboxId == sandboxId && w.State == WarmSandboxState.Ready)
                .ExecuteUpdateAsync(u => u.SetProperty(w => w.State, WarmSandboxState.Claimed).SetProperty(w => w.ClaimedBySession, sessionId), cancellationToken);
            if (claimed == 1)
            {
                return await db.WarmSandboxes.AsNoTracking().FirstAsync(w => w.SandboxId == sandboxId, cancellationToken);
            }
        }

        return null;
    }

    public async Task DeleteAsync(string sandboxId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.WarmSandboxes.Where(w => w.SandboxId == sandboxId).ExecuteDeleteAsync(cancellationToken);
    }
}
