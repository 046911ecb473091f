using System.Formats.Tar;
using System.IO.Compression;

namespace RemoltBlazor.Data.Backup;

/// <summary>
/// Reads a backup archive into scratch files, accepting exactly the three entries a backup writes. Entry names are
/// matched, never used as paths, so an archive cannot write anywhere else (no traversal, no links).
/// </summary>
internal static class BackupArchiveReader
{
    // The manifest and the keys are a few hundred bytes; the cap stops a hostile archive from filling memory.
    private const int SmallEntryLimit = 64 * 1024;

    public sealed record Contents(BackupManifest Manifest, byte[] Keys);

    /// <summary>The manifest and keys; the database is written to <paramref name="databaseScratch"/>.</summary>
    public static async Task<Contents> ReadAsync(string archivePath, string databaseScratch, CancellationToken cancellationToken)
    {
        if (!File.Exists(archivePath))
        {
            throw new DatabaseRefusedException($"{archivePath} does not exist.");
        }

        byte[]? manifest = null;
        byte[]? keys = null;
        var database = false;
        try
        {
            await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                {
                    throw NotABackup(archivePath, $"unexpected entry {entry.Name} ({entry.EntryType})");
                }

                switch (entry.Name)
                {
                    case BackupManifest.EntryName when manifest is null:
                        manifest = await ReadSmallAsync(entry.DataStream, archivePath, entry.Name, cancellationToken);
                        break;
                    case BackupSnapshot.KeysEntry when keys is null:
                        keys = await ReadSmallAsync(entry.DataStream, archivePath, entry.Name, cancellationToken);
                        break;
                    case BackupManifest.DatabaseEntry when !database:
                        await using (var scratch = new FileStream(databaseScratch, FileMode.Truncate, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                        {
                            await entry.DataStream.CopyToAsync(scratch, cancellationToken);
                        }

                        database = true;
                        break;
                    default:
                        throw NotABackup(archivePath, $"unexpected or repeated entry {entry.Name}");
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
        {
            throw NotABackup(archivePath, ex.Message);
        }

        if (manifest is null || keys is null || !database)
        {
            throw NotABackup(archivePath, $"it lacks {(manifest is null ? BackupManifest.EntryName : keys is null ? BackupSnapshot.KeysEntry : BackupManifest.DatabaseEntry)}");
        }

        return new Contents(
            BackupManifest.Parse(manifest) ?? throw NotABackup(archivePath, $"{BackupManifest.EntryName} is not a backup manifest"),
            keys);
    }

    private static async Task<byte[]> ReadSmallAsync(Stream data, string archivePath, string name, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await data.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > SmallEntryLimit)
            {
                throw NotABackup(archivePath, $"{name} is larger than {SmallEntryLimit} bytes");
            }
        }

        return buffer.ToArray();
    }

    private static DatabaseRefusedException NotABackup(string archivePath, string detail) =>
        new($"{archivePath} is not a readable RemoltBlazor backup ({detail}); nothing was changed.");
}
