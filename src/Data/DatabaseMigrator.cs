using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace RemoltBlazor.Data;

/// <summary>
/// Applies the committed migrations before anything else starts (hosted services start in registration order, and
/// <see cref="IHostedService.StartAsync"/> completes before the next one begins), then turns on WAL so readers never
/// block the writer.
/// </summary>
internal sealed class DatabaseMigrator(IDbContextFactory<RemoltDbContext> contextFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
