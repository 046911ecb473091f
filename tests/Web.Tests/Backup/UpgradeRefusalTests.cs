using Microsoft.Data.Sqlite;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Backup;

/// <summary>The built app on a database a newer version wrote: it says why and exits non-zero, the file untouched.</summary>
public sealed class UpgradeRefusalTests
{
    [Fact]
    public async Task Start_DatabaseWrittenByANewerVersion_ExitsNonZeroWithTheReasonAndLeavesTheFile()
    {
        var folder = TestDataFolder.Create("remolt-backup-tests");
        try
        {
            await using (var app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_DATA_DIR"] = folder }, new FakeSandboxRuntime()))
            {
                _ = app.BaseAddress; // started: migrated
            }

            SqliteConnection.ClearAllPools();
            var database = Path.Combine(folder, "remolt.db");
            await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var insert = connection.CreateCommand();
                insert.CommandText = "PRAGMA journal_mode=DELETE; INSERT INTO \"__EFMigrationsHistory\" VALUES ('29990101000000_FromTheFuture', '99.0.0');";
                await insert.ExecuteNonQueryAsync();
            }

            var before = await File.ReadAllBytesAsync(database);

            var failed = await Should.ThrowAsync<InvalidOperationException>(() => AppProcess.StartAsync(folder));

            failed.Message.ShouldStartWith("The app exited with ");
            failed.Message.ShouldStartWith("The app exited with 1");
            failed.Message.ShouldContain("RemoltBlazor did not start: "); // the reason as the last word, not only a crash log
            failed.Message.ShouldContain("has migrations this build does not know (29990101000000_FromTheFuture): this database was written by a newer RemoltBlazor");
            (await File.ReadAllBytesAsync(database)).ShouldBe(before);
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }
}
