using Microsoft.EntityFrameworkCore;
using RemoltBlazor.Data.Entities;

namespace RemoltBlazor.Data.Sessions;

/// <summary>Session rows, one short-lived context per call. Every change is saved at once (durable across a crash).</summary>
public sealed class SessionStore(IDbContextFactory<RemoltDbContext> contextFactory)
{
    public async Task InsertAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task UpdateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.Sessions.Update(session);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<SessionRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
    }

    /// <summary>Sessions that are not ended (Creating, Running, Ending), oldest first.</summary>
    public async Task<IReadOnlyList<SessionRecord>> ListLiveAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AsNoTracking()
            .Where(s => s.State != SessionState.Ended)
            .OrderBy(s => s.CreatedAt)
            .ToListAsync(cancellationToken);
    }

    public async Task TouchAsync(string id, DateTimeOffset lastActivity, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastActivityAt, lastActivity), cancellationToken);
    }
}
