using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Secrets;

namespace RemoltBlazor.Data.Backup;

/// <summary>
/// Online backup of the data folder, safe while the server runs: SQLite's backup API copies the database in one read
/// transaction (WAL lets the server keep writing), and the archive adds the master keys (without them the restored
/// API keys cannot be opened) and a manifest. Not the instance id (a restore keeps the target's own, so a second
/// server never takes the first one's sandboxes) nor the login token (each server has its own).
/// </summary>
public sealed class BackupService(
    IOptions<DataOptions> options,
    IDbContextFactory<RemoltDbContext> contexts,
    SecretKeyRing keys,
    InstanceIdentity instance,
    TimeProvider timeProvider)
{
    /// <summary>Copies the database now; the archive is written from the copy by <see cref="BackupSnapshot.WriteArchiveAsync"/>.</summary>
    public async Task<BackupSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var database = EnsureDatabase(options.Value);
        var folder = Path.GetDirectoryName(database)!;
        _ = keys.CurrentId; // the ring writes its file on first use: a backup always carries the keys the rows need
        var keyBytes = await File.ReadAllBytesAsync(Path.Combine(folder, SecretKeyRing.FileName), cancellationToken);
        var copy = PrivateFiles.CreateScratch(folder, ".backup.db");
        try
        {
            await Task.Run(() => SqliteFiles.Copy(database, copy), cancellationToken);
            var schema = PrepareCopy(copy, await SchemaGuard.KnownMigrationsAsync(contexts, cancellationToken));
            var manifest = new BackupManifest(BackupManifest.CurrentFormat, AppVersion, schema, timeProvider.GetUtcNow(), instance.Id);
            return new BackupSnapshot(manifest, copy, keyBytes);
        }
        catch
        {
            PrivateFiles.DeleteQuietly(copy);
            throw;
        }
    }

    /// <summary>The <c>backup FILE</c> verb: the archive written to <paramref name="path"/> (mode 0600).</summary>
    public async Task<BackupManifest> WriteFileAsync(string path, CancellationToken cancellationToken)
    {
        path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var snapshot = await SnapshotAsync(cancellationToken);
        await PrivateFiles.WriteAsync(path, file => snapshot.WriteArchiveAsync(file, cancellationToken));
        return snapshot.Manifest;
    }

    /// <summary>The database's path; throws when there is none (checked before anything creates files in the folder).</summary>
    public static string EnsureDatabase(DataOptions options)
    {
        var database = options.DatabasePath;
        return File.Exists(database)
            ? database
            : throw new DatabaseRefusedException($"There is no database at {database}: nothing to back up (is REMOLT_DATA_DIR right?).");
    }

    internal static string AppVersion =>
        typeof(BackupService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Makes the copy stand on its own: no warm pool rows (they name sandboxes of the source server, which its warm
    /// pool removes; a restored copy must never remove them), rollback journal mode (one file, no -wal to lose), and
    /// checked. Returns the last applied migration.
    /// </summary>
    private static string PrepareCopy(string copy, IReadOnlyCollection<string> known)
    {
        var applied = SchemaGuard.Check(copy, known);
        using (var connection = SqliteFiles.Open(copy, SqliteOpenMode.ReadWrite))
        {
            if (SqliteFiles.HasTable(connection, "warm_sandboxes"))
            {
                SqliteFiles.Execute(connection, "DELETE FROM warm_sandboxes;");
            }

            SqliteFiles.Execute(connection, "PRAGMA journal_mode=DELETE;");
        }

        var integrity = SqliteFiles.IntegrityCheck(copy);
        if (integrity != "ok")
        {
            throw new DatabaseRefusedException($"The copy of the database failed SQLite's integrity check ({integrity}); the database itself may be damaged.");
        }

        return applied.Count > 0 ? applied[^1] : "";
    }
}
