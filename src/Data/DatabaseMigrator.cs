using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Data;

/// <summary>
/// Applies the committed migrations before anything else starts (hosted services start in registration order, and
/// <see cref="IHostedService.StartAsync"/> completes before the next one begins), then turns on WAL so readers never
/// block the writer. A database this build cannot use (not SQLite, or written by a newer version) stops the start
/// with <see cref="DatabaseRefusedException"/> before anything touches it.
/// </summary>
internal sealed class DatabaseMigrator(IDbContextFactory<RemoltDbContext> contextFactory, IOptions<DataOptions> options, DataFolderLock folderLock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        folderLock.HoldShared(); // a restore refuses while this server runs
        await MigrateAsync(contextFactory, options.Value, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The guard, then EF Core's migrations; the maintenance verbs use it too.</summary>
    internal static async Task MigrateAsync(IDbContextFactory<RemoltDbContext> contextFactory, DataOptions options, CancellationToken cancellationToken)
    {
        SchemaGuard.Check(options.DatabasePath, await SchemaGuard.KnownMigrationsAsync(contextFactory, cancellationToken));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
