using System.Formats.Tar;
using System.IO.Compression;

namespace RemoltBlazor.Data.Backup;

/// <summary>
/// A database copy taken by <see cref="BackupService"/>, waiting to be written as an archive (a file, or an HTTP
/// download that starts only once the copy succeeded). Disposing deletes the copy.
/// </summary>
public sealed class BackupSnapshot : IAsyncDisposable
{
    /// <summary>The master keys' file name inside the archive (the same as in the data folder).</summary>
    public const string KeysEntry = Secrets.SecretKeyRing.FileName;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _databaseCopy;
    private readonly byte[] _keys;

    internal BackupSnapshot(BackupManifest manifest, string databaseCopy, byte[] keys)
    {
        Manifest = manifest;
        _databaseCopy = databaseCopy;
        _keys = keys;
    }

    public BackupManifest Manifest { get; }

    /// <summary>A dated name for the download, e.g. <c>remolt-backup-20261207-145000Z.tar.gz</c>.</summary>
    public string FileName => $"remolt-backup-{Manifest.CreatedAt.UtcDateTime:yyyyMMdd-HHmmss}Z.tar.gz";

    /// <summary>The archive (gzip'd tar: manifest, database, keys) to <paramref name="output"/>, which stays open.</summary>
    public async Task WriteArchiveAsync(Stream output, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            await WriteEntryAsync(tar, BackupManifest.EntryName, new MemoryStream(Manifest.ToJson()), cancellationToken);
            await WriteEntryAsync(tar, KeysEntry, new MemoryStream(_keys), cancellationToken);
            await using var database = new FileStream(_databaseCopy, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await WriteEntryAsync(tar, BackupManifest.DatabaseEntry, database, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        PrivateFiles.DeleteQuietly(_databaseCopy);
        return ValueTask.CompletedTask;
    }

    private async Task WriteEntryAsync(TarWriter tar, string name, Stream data, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            Mode = OwnerOnly,
            ModificationTime = Manifest.CreatedAt,
        };
        await tar.WriteEntryAsync(entry, cancellationToken);
    }
}
