using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Data.Tests.Backup;

/// <summary>The start refuses a database it cannot use, says why, and leaves the file exactly as it was.</summary>
public sealed class SchemaGuardTests
{
    [Fact]
    public async Task Migrator_DatabaseWithAMigrationThisBuildDoesNotKnow_RefusesWithTheMigrationAndTouchesNothing()
    {
        var folder = TestDataFolder.Create("remolt-backup-tests");
        try
        {
            await using (var first = await DataFolderHost.StartAsync(folder))
            {
                await first.InsertAsync("s1");
            }

            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "remolt.db")};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var insert = connection.CreateCommand();
                insert.CommandText = "PRAGMA journal_mode=DELETE; INSERT INTO \"__EFMigrationsHistory\" VALUES ('29990101000000_FromTheFuture', '99.0.0');";
                await insert.ExecuteNonQueryAsync();
            }

            var before = await File.ReadAllBytesAsync(Path.Combine(folder, "remolt.db"));

            await using var second = await DataFolderHost.StartAsync(folder, migrate: false);
            var refused = await Should.ThrowAsync<DatabaseRefusedException>(() => StartHostedAsync(second));

            refused.Message.ShouldContain("29990101000000_FromTheFuture");
            refused.Message.ShouldContain("this database was written by a newer RemoltBlazor; run that version or restore a backup taken before the upgrade");
            SqliteConnection.ClearAllPools();
            (await File.ReadAllBytesAsync(Path.Combine(folder, "remolt.db"))).ShouldBe(before);
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task Migrator_FileThatIsNotSqlite_RefusesWithAClearMessageAndTouchesNothing()
    {
        var folder = TestDataFolder.Create("remolt-backup-tests");
        try
        {
            var path = Path.Combine(folder, "remolt.db");
            await File.WriteAllTextAsync(path, "these are somebody's notes, not a database\n");

            await using var host = await DataFolderHost.StartAsync(folder, migrate: false);
            var refused = await Should.ThrowAsync<DatabaseRefusedException>(() => StartHostedAsync(host));

            refused.Message.ShouldContain("is not a SQLite database");
            (await File.ReadAllTextAsync(path)).ShouldBe("these are somebody's notes, not a database\n");
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task Migrator_DatabaseOfThisBuild_Starts()
    {
        var folder = TestDataFolder.Create("remolt-backup-tests");
        try
        {
            await using (var first = await DataFolderHost.StartAsync(folder))
            {
                await first.InsertAsync("s1");
            }

            await using var second = await DataFolderHost.StartAsync(folder);
            (await second.Get<RemoltBlazor.Data.Sessions.SessionStore>().FindAsync("s1", CancellationToken.None)).ShouldNotBeNull();
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    private static async Task StartHostedAsync(DataFolderHost host)
    {
        foreach (var hosted in host.Get<IServiceProvider>().GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }
}
