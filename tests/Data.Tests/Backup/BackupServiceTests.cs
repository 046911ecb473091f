using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RemoltBlazor.Data.Backup;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Secrets;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Data.Tests.Backup;

/// <summary>The online backup: a consistent copy while the server writes, and exactly what a restore needs.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupServiceTests : IAsyncLifetime
{
    private readonly string _folder = TestDataFolder.Create("remolt-backup-tests");
    private DataFolderHost _source = null!;

    public async Task InitializeAsync() => _source = await DataFolderHost.StartAsync(_folder);

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        TestDataFolder.Delete(_folder);
    }

    [Fact]
    public async Task WriteFileAsync_WhileAnotherConnectionWritesPairs_CopyHoldsWholePairsAndPassesIntegrityCheck()
    {
        for (var i = 0; i < 50; i++)
        {
            await InsertPairAsync($"before{i}");
        }

        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await InsertPairAsync($"during{written++}");
            }
        });

        var archives = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var archive = Path.Combine(_folder, "backups", $"b{i}.tar.gz");
            await _source.Get<BackupService>().WriteFileAsync(archive, CancellationToken.None);
            archives.Add(archive);
        }

        await stop.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        written.ShouldBeGreaterThan(0, "the writer ran while the backups were taken");

        foreach (var archive in archives)
        {
            var copy = await ArchiveFiles.ExtractDatabaseAsync(await ArchiveFiles.ReadAsync(archive), _folder);
            await using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
            await connection.OpenAsync();
            (await ScalarAsync(connection, "PRAGMA integrity_check;")).ShouldBe("ok");
            var ids = await ListAsync(connection, "SELECT Id FROM sessions");
            ids.Count(id => id.StartsWith("before", StringComparison.Ordinal)).ShouldBe(100);
            foreach (var id in ids.Where(id => id.EndsWith("-a", StringComparison.Ordinal)))
            {
                ids.ShouldContain(id[..^2] + "-b", "each pair was written in one transaction: a copy has both or neither");
            }

            ids.Count.ShouldBe(ids.Count(id => id.EndsWith("-a", StringComparison.Ordinal)) * 2);
        }
    }

    [Fact]
    public async Task WriteFileAsync_Archive_HoldsManifestDatabaseAndKeysOnly_OwnerOnly()
    {
        await _source.InsertAsync("s1");
        await File.WriteAllTextAsync(Path.Combine(_folder, "login-token"), "a-login-token-that-must-stay-here");
        await using (var db = await _source.Get<IDbContextFactory<RemoltDbContext>>().CreateDbContextAsync())
        {
            db.WarmSandboxes.Add(new WarmSandboxRecord { SandboxId = "remolt-warm-1", AgentId = "claude", State = WarmSandboxState.Ready, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var archive = Path.Combine(_folder, "b.tar.gz");
        var manifest = await _source.Get<BackupService>().WriteFileAsync(archive, CancellationToken.None);

        File.GetUnixFileMode(archive).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var entries = await ArchiveFiles.ReadAsync(archive);
        entries.Keys.Order(StringComparer.Ordinal).ShouldBe(["manifest.json", "remolt.db", "secret-keys"]);
        entries["secret-keys"].ShouldBe(await File.ReadAllBytesAsync(Path.Combine(_folder, SecretKeyRing.FileName)));

        using var json = JsonDocument.Parse(entries["manifest.json"]);
        var root = json.RootElement;
        root.GetProperty("format").GetInt32().ShouldBe(1);
        root.GetProperty("instance_id").GetString().ShouldBe(await File.ReadAllTextAsync(Path.Combine(_folder, "instance-id")));
        root.GetProperty("schema").GetString().ShouldBe("20261207104434_UsersKeysAndTokens");
        root.GetProperty("app_version").GetString().ShouldNotBeNullOrWhiteSpace();
        root.GetProperty("created_at").GetDateTimeOffset().ShouldBe(manifest.CreatedAt);

        var copy = await ArchiveFiles.ExtractDatabaseAsync(entries, _folder);
        await using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        await connection.OpenAsync();
        (await ListAsync(connection, "SELECT Id FROM sessions")).ShouldBe(["s1"]);
        (await ListAsync(connection, "SELECT SandboxId FROM warm_sandboxes")).ShouldBeEmpty("warm sandboxes belong to the source server's pool");
        (await ScalarAsync(connection, "PRAGMA journal_mode;")).ShouldBe("delete");
        Directory.GetFiles(_folder, ".*").ShouldBeEmpty("the scratch copy is deleted");
    }

    private async Task InsertPairAsync(string id)
    {
        await using var db = await _source.Get<IDbContextFactory<RemoltDbContext>>().CreateDbContextAsync();
        db.Sessions.AddRange(DataFolderHost.Session(id + "-a"), DataFolderHost.Session(id + "-b"));
        await db.SaveChangesAsync();
    }

    private static async Task<string> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static async Task<List<string>> ListAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
