using System.Formats.Tar;
using System.IO.Compression;

namespace RemoltBlazor.Data.Tests.Backup;

/// <summary>Reads and writes .tar.gz archives in tests, with nothing of the code under test.</summary>
internal static class ArchiveFiles
{
    public static async Task<Dictionary<string, byte[]>> ReadAsync(string path)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: true) is { } entry)
        {
            var data = new MemoryStream();
            if (entry.DataStream is not null)
            {
                await entry.DataStream.CopyToAsync(data);
            }

            entries.Add(entry.Name, data.ToArray());
        }

        return entries;
    }

    public static async Task WriteAsync(string path, IEnumerable<(string Name, byte[] Data)> entries)
    {
        await using var file = File.Create(path);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (name, data) in entries)
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
    }

    /// <summary>The archive's database written to a file of its own, for SQLite to open.</summary>
    public static async Task<string> ExtractDatabaseAsync(Dictionary<string, byte[]> entries, string folder)
    {
        var path = Path.Combine(folder, $"extracted-{Guid.NewGuid():N}.db");
        await File.WriteAllBytesAsync(path, entries["remolt.db"]);
        return path;
    }
}
