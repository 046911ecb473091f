using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Secrets;

namespace RemoltBlazor.Data.Backup;

/// <summary>
/// The <c>restore FILE</c> verb's work, with the server stopped: the whole archive is checked first (manifest,
/// schema not newer than this build, SQLite's integrity check, the keys' format), then the current database and keys
/// are kept aside as <c>*.before-restore-{time}</c> and the archive's take their place. The target keeps its own
/// <c>instance-id</c> unless <c>adoptInstance</c> (disaster recovery on the same Docker host, the original server gone).
/// It depends on nothing that creates files at construction (the key ring, the instance identity), so a restore into
/// an empty folder leaves exactly what it wrote.
/// </summary>
public sealed class RestoreService(IOptions<DataOptions> options, IDbContextFactory<RemoltDbContext> contexts, TimeProvider timeProvider)
{
    public const string InstanceIdFile = "instance-id";

    public async Task<RestoreResult> RestoreAsync(string archivePath, bool adoptInstance, CancellationToken cancellationToken)
    {
        var database = options.Value.DatabasePath;
        var folder = Path.GetDirectoryName(database)!;
        Directory.CreateDirectory(folder);
        var scratch = PrivateFiles.CreateScratch(folder, ".restore.db");
        try
        {
            var contents = await BackupArchiveReader.ReadAsync(Path.GetFullPath(archivePath), scratch, cancellationToken);
            Validate(contents, scratch, await SchemaGuard.KnownMigrationsAsync(contexts, cancellationToken), archivePath);
            using var exclusive = DataFolderLock.TakeExclusive(folder);
            if (File.Exists(database) && SchemaGuard.HasSqliteHeader(database))
            {
                SqliteFiles.LeaveWalMode(database);
            }

            var stamp = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "Z";
            var keptDatabase = KeepAside(database, stamp);
            foreach (var leftover in new[] { database + "-wal", database + "-shm" })
            {
                KeepAside(leftover, stamp); // only when the old file was not SQLite (else leaving WAL removed them)
            }

            var keysPath = Path.Combine(folder, SecretKeyRing.FileName);
            var keptKeys = KeepAside(keysPath, stamp);
            File.Move(scratch, database);
            await PrivateFiles.WriteAsync(keysPath, file => file.WriteAsync(contents.Keys, cancellationToken).AsTask());
            if (adoptInstance)
            {
                await PrivateFiles.WriteAsync(Path.Combine(folder, InstanceIdFile), file => file.WriteAsync(Encoding.UTF8.GetBytes(contents.Manifest.InstanceId), cancellationToken).AsTask());
            }

            return new RestoreResult(contents.Manifest, database, keptDatabase, keptKeys, adoptInstance);
        }
        finally
        {
            PrivateFiles.DeleteQuietly(scratch);
        }
    }

    private static void Validate(BackupArchiveReader.Contents contents, string scratch, IReadOnlyCollection<string> known, string archivePath)
    {
        var manifest = contents.Manifest;
        if (manifest.Format != BackupManifest.CurrentFormat)
        {
            throw new DatabaseRefusedException(
                $"{archivePath} is a backup of format {manifest.Format}; this build reads format {BackupManifest.CurrentFormat} (use the RemoltBlazor version that wrote it).");
        }

        var applied = SchemaGuard.Check(scratch, known);
        if ((applied.Count > 0 ? applied[^1] : "") != manifest.Schema)
        {
            throw new DatabaseRefusedException($"{archivePath} is damaged: its manifest names schema {manifest.Schema} but its database has {string.Join(", ", applied)}.");
        }

        var integrity = SqliteFiles.IntegrityCheck(scratch);
        if (integrity != "ok")
        {
            throw new DatabaseRefusedException($"The database in {archivePath} failed SQLite's integrity check ({integrity}); nothing was changed.");
        }

        try
        {
            if (SecretKeyRing.Parse(Encoding.UTF8.GetString(contents.Keys).Split('\n'), archivePath).Count == 0)
            {
                throw new DatabaseRefusedException($"{archivePath} holds no master key; nothing was changed.");
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new DatabaseRefusedException($"The master keys in {archivePath} are damaged ({ex.Message}); nothing was changed.");
        }

        if (manifest.InstanceId.Trim().Length < 8)
        {
            throw new DatabaseRefusedException($"{archivePath} names no valid source instance; nothing was changed.");
        }
    }

    /// <summary>Renames <paramref name="path"/> to <c>{path}.before-restore-{stamp}</c>; null when there was no file.</summary>
    private static string? KeepAside(string path, string stamp)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var kept = $"{path}.before-restore-{stamp}";
        File.Move(path, kept);
        return kept;
    }
}
