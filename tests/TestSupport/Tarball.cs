using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace RemoltBlazor.TestSupport;

/// <summary>Builds .tar.gz archives in memory for upload tests, including malicious ones no real tar would write.</summary>
public sealed class Tarball
{
    private readonly List<Action<TarWriter>> _entries = [];

    public Tarball File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        File(name, Encoding.UTF8.GetBytes(content), mode);

    public Tarball File(string name, byte[] content, UnixFileMode mode = (UnixFileMode)0b110_100_100) => Add(() =>
        new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content), Mode = mode });

    public Tarball Directory(string name) => Add(() =>
        new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });

    public Tarball Symlink(string name, string target) => Add(() =>
        new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });

    public Tarball HardLink(string name, string target) => Add(() =>
        new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });

    public Tarball CharacterDevice(string name) => Add(() =>
        new PaxTarEntry(TarEntryType.CharacterDevice, name) { DeviceMajor = 1, DeviceMinor = 3 });

    public Tarball Fifo(string name) => Add(() => new PaxTarEntry(TarEntryType.Fifo, name));

    /// <summary>The gzip-compressed tar.</summary>
    public byte[] ToArray()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var write in _entries)
            {
                write(writer);
            }
        }

        return output.ToArray();
    }

    /// <summary>Reads a .tar.gz back: every entry's name, type, link target, mode and content.</summary>
    public static IReadOnlyList<TarballEntry> Read(byte[] archive)
    {
        var result = new List<TarballEntry>();
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            byte[] content = [];
            if (entry.DataStream is { } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                content = copy.ToArray();
            }

            result.Add(new TarballEntry(entry.Name, entry.EntryType, entry.LinkName, entry.Mode, content));
        }

        return result;
    }

    private Tarball Add(Func<TarEntry> entry)
    {
        _entries.Add(writer => writer.WriteEntry(entry()));
        return this;
    }
}

public sealed record TarballEntry(string Name, TarEntryType Type, string LinkName, UnixFileMode Mode, byte[] Content)
{
    public string Text => Encoding.UTF8.GetString(Content);
}
