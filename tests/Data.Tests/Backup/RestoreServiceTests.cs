using Microsoft.Data.Sqlite;
using RemoltBlazor.Data.Backup;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Data.Tests.Backup;

/// <summary>Restore: rows and keys come back, the target stays itself, and every refusal changes nothing.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RestoreServiceTests : IAsyncLifetime
{
    private readonly string _source = TestDataFolder.Create("remolt-backup-tests");
    private readonly string _target = TestDataFolder.Create("remolt-backup-tests");
    private string _archive = "";

    public async Task InitializeAsync()
    {
        await using var source = await DataFolderHost.StartAsync(_source);
        await source.InsertAsync("s1");
        await source.Get<ApiKeyStore>().ApplyAsync("alice", new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-from-source" }, CancellationToken.None);
        _archive = Path.Combine(_source, "backup.tar.gz");
        await source.Get<BackupService>().WriteFileAsync(_archive, CancellationToken.None);

        await using var target = await DataFolderHost.StartAsync(_target);
        await target.InsertAsync("t1");
        await target.Get<ApiKeyStore>().ApplyAsync("bob", new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-of-target" }, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        TestDataFolder.Delete(_source);
        TestDataFolder.Delete(_target);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RestoreAsync_IntoAnotherServer_BringsRowsAndKeys_KeepsTargetInstanceAndOldDatabase()
    {
        var targetInstance = await InstanceIdAsync(_target);

        var result = await RestoreAsync(_archive, adoptInstance: false);

        result.AdoptedInstance.ShouldBeFalse();
        result.Manifest.InstanceId.ShouldBe(await InstanceIdAsync(_source));
        (await InstanceIdAsync(_target)).ShouldBe(targetInstance, "a restored server never takes another's sandboxes");
        result.KeptDatabase.ShouldNotBeNull().ShouldStartWith(Path.Combine(_target, "remolt.db.before-restore-"));
        result.KeptKeys.ShouldNotBeNull().ShouldStartWith(Path.Combine(_target, "secret-keys.before-restore-"));
        File.GetUnixFileMode(Path.Combine(_target, "secret-keys")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await File.ReadAllBytesAsync(Path.Combine(_target, "secret-keys"))).ShouldBe(await File.ReadAllBytesAsync(Path.Combine(_source, "secret-keys")));
        await using (var old = new SqliteConnection($"Data Source={result.KeptDatabase};Pooling=False"))
        {
            await old.OpenAsync();
            await using var select = old.CreateCommand();
            select.CommandText = "SELECT Id FROM sessions";
            (await select.ExecuteScalarAsync()).ShouldBe("t1", "the previous database is whole, WAL included");
        }

        await using var restored = await DataFolderHost.StartAsync(_target);
        (await restored.Get<SessionStore>().FindAsync("s1", CancellationToken.None)).ShouldNotBeNull();
        (await restored.Get<SessionStore>().FindAsync("t1", CancellationToken.None)).ShouldBeNull();
        (await restored.Get<ApiKeyStore>().ReadAsync("alice", CancellationToken.None))["OPENAI_API_KEY"].ShouldBe("sk-from-source");
        (await InstanceIdAsync(_target)).ShouldBe(targetInstance);
    }

    [Fact]
    public async Task RestoreAsync_AdoptInstance_TakesTheBackupsInstanceId()
    {
        var result = await RestoreAsync(_archive, adoptInstance: true);

        result.AdoptedInstance.ShouldBeTrue();
        (await InstanceIdAsync(_target)).ShouldBe(await InstanceIdAsync(_source));
        await using var restored = await DataFolderHost.StartAsync(_target);
        restored.Get<InstanceIdentity>().Id.ShouldBe(await InstanceIdAsync(_source));
    }

    [Fact]
    public async Task RestoreAsync_NewerSchema_RefusesAndChangesNothing()
    {
        var entries = await ArchiveFiles.ReadAsync(_archive);
        var database = await ArchiveFiles.ExtractDatabaseAsync(entries, _source);
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO \"__EFMigrationsHistory\" VALUES ('29990101000000_FromTheFuture', '99.0.0');";
            await insert.ExecuteNonQueryAsync();
        }

        var manifest = System.Text.Encoding.UTF8.GetString(entries["manifest.json"]).Replace("20261207104434_UsersKeysAndTokens", "29990101000000_FromTheFuture", StringComparison.Ordinal);
        await AssertRefusedAsync(
            [("manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest)), ("secret-keys", entries["secret-keys"]), ("remolt.db", await File.ReadAllBytesAsync(database))],
            "29990101000000_FromTheFuture", "written by a newer RemoltBlazor");
    }

    [Fact]
    public async Task RestoreAsync_TruncatedArchive_RefusesAndChangesNothing()
    {
        var bytes = await File.ReadAllBytesAsync(_archive);
        var truncated = Path.Combine(_source, "truncated.tar.gz");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);

        await AssertRefusedAsync(truncated, "is not a readable RemoltBlazor backup");
    }

    [Fact]
    public async Task RestoreAsync_DatabaseThatIsNotSqlite_RefusesAndChangesNothing()
    {
        var entries = await ArchiveFiles.ReadAsync(_archive);
        await AssertRefusedAsync(
            [("manifest.json", entries["manifest.json"]), ("secret-keys", entries["secret-keys"]), ("remolt.db", "not a database at all"u8.ToArray())],
            "is not a SQLite database");
    }

    [Fact]
    public async Task RestoreAsync_EntryOutsideTheBackupsThree_RefusesAndWritesNothingThere()
    {
        var entries = await ArchiveFiles.ReadAsync(_archive);
        await AssertRefusedAsync(
            [.. entries.Select(e => (e.Key, e.Value)), ("../instance-id", "stolen-instance"u8.ToArray())],
            "unexpected or repeated entry ../instance-id");
        File.Exists(Path.Combine(Path.GetDirectoryName(_target)!, "instance-id")).ShouldBeFalse();
    }

    [Fact]
    public async Task RestoreAsync_WhileAServerHasTheDatabaseOpen_RefusesAsInUseAndChangesNothing()
    {
        await using var running = await DataFolderHost.StartAsync(_target);
        (await running.Get<SessionStore>().FindAsync("t1", CancellationToken.None)).ShouldNotBeNull(); // a pooled connection now holds the file

        var refused = await Should.ThrowAsync<DatabaseRefusedException>(() => running.Get<RestoreService>().RestoreAsync(_archive, adoptInstance: false, CancellationToken.None));

        refused.Message.ShouldContain("is in use");
        refused.Message.ShouldContain("Stop it, then run restore again");
        Directory.GetFiles(_target, "*before-restore*").ShouldBeEmpty();
        (await running.Get<SessionStore>().FindAsync("t1", CancellationToken.None)).ShouldNotBeNull();
        (await running.Get<SessionStore>().FindAsync("s1", CancellationToken.None)).ShouldBeNull();
    }

    private async Task AssertRefusedAsync(IEnumerable<(string Name, byte[] Data)> entries, params string[] expected)
    {
        var archive = Path.Combine(_source, $"crafted-{Guid.NewGuid():N}.tar.gz");
        await ArchiveFiles.WriteAsync(archive, entries);
        await AssertRefusedAsync(archive, expected);
    }

    private async Task AssertRefusedAsync(string archive, params string[] expected)
    {
        var database = await File.ReadAllBytesAsync(Path.Combine(_target, "remolt.db"));
        var keys = await File.ReadAllBytesAsync(Path.Combine(_target, "secret-keys"));
        var files = Directory.GetFiles(_target).Order(StringComparer.Ordinal).ToList();

        var refused = await Should.ThrowAsync<DatabaseRefusedException>(() => RestoreAsync(archive, adoptInstance: true));

        foreach (var part in expected)
        {
            refused.Message.ShouldContain(part);
        }

        (await File.ReadAllBytesAsync(Path.Combine(_target, "remolt.db"))).ShouldBe(database);
        (await File.ReadAllBytesAsync(Path.Combine(_target, "secret-keys"))).ShouldBe(keys);
        Directory.GetFiles(_target).Order(StringComparer.Ordinal).ToList().ShouldBe(files, customMessage: "no scratch, no kept copy, no new instance id");
    }

    private async Task<RestoreResult> RestoreAsync(string archive, bool adoptInstance)
    {
        await using var stopped = await DataFolderHost.StartAsync(_target, migrate: false);
        return await stopped.Get<RestoreService>().RestoreAsync(archive, adoptInstance, CancellationToken.None);
    }

    private static async Task<string> InstanceIdAsync(string folder) => (await File.ReadAllTextAsync(Path.Combine(folder, "instance-id"))).Trim();
}
