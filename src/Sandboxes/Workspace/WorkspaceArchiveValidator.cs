using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;

namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>
/// Reads a whole uploaded <c>.tar.gz</c> before anything is extracted and refuses it, naming the entry, when any
/// entry could land outside the folder it is extracted into: absolute paths, <c>..</c> components, symlinks or hard
/// links whose target resolves outside, entries that pass through a symlink of the same archive (the usual way to
/// chain links out), devices and fifos. It also decides the extraction root (<see cref="WorkspaceExtractRoot"/>) so a
/// downloaded workspace round-trips while a plain project archive lands in <c>~/workspace</c>.
/// </summary>
internal static class WorkspaceArchiveValidator
{
    public const string HomePath = "/home/dev";
    public const string WorkspacePath = "/home/dev/workspace";

    /// <summary>The top-level folders a downloaded archive holds (what the download packs).</summary>
    public static readonly IReadOnlyList<string> HomeFolders = ["workspace", ".openclaw"];

    private static readonly byte[] s_gzipMagic = [0x1f, 0x8b];

    /// <summary>Validates <paramref name="archive"/> (seekable, read from its start) and rewinds it.</summary>
    /// <exception cref="WorkspaceArchiveException">Not a gzip tarball, or an entry would escape.</exception>
    /// <exception cref="WorkspaceUploadTooLargeException">The files add up to more than <paramref name="maxUnpackedBytes"/>.</exception>
    public static WorkspaceArchiveSummary Validate(Stream archive, long maxUnpackedBytes)
    {
        if (!archive.CanSeek)
        {
            throw new ArgumentException("The archive must be seekable (a temporary file).", nameof(archive));
        }

        var start = archive.Position;
        var expectedSize = ReadGzipFrame(archive, start);
        var entries = new List<ArchiveEntry>();
        long decompressed;
        long unpacked = 0;
        try
        {
            using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
            using var counted = new CountingStream(gzip);
            using (var reader = new TarReader(counted, leaveOpen: true))
            {
                while (reader.GetNextEntry(copyData: false) is { } entry)
                {
                    if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
                    {
                        continue; // pax global header: metadata for the entries that follow, not a file
                    }

                    entries.Add(ArchiveEntry.From(entry));
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)
                    {
                        unpacked += entry.Length;
                        if (unpacked > maxUnpackedBytes)
                        {
                            throw new WorkspaceUploadTooLargeException(
                                $"The archive unpacks to more than the limit of {maxUnpackedBytes} bytes (REMOLT_MAX_UPLOAD_UNPACKED_BYTES).");
                        }
                    }
                }
            }

            // tar stops at its end-of-archive block; the gzip stream must still be read to its end so a cut-off
            // upload is noticed here rather than by tar half-way through extracting.
            counted.CopyTo(Stream.Null);
            decompressed = counted.BytesRead;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new WorkspaceArchiveException($"Not a valid .tar.gz archive (truncated or corrupt): {ex.Message}", ex);
        }

        if ((uint)decompressed != expectedSize)
        {
            throw new WorkspaceArchiveException(
                "Not a valid .tar.gz archive: it is truncated (its gzip trailer does not match its content; concatenated gzip files are not supported).");
        }

        if (entries.Count == 0)
        {
            throw new WorkspaceArchiveException("The archive is empty.");
        }

        var summary = Check(entries, unpacked);
        archive.Position = start;
        return summary;
    }

    /// <summary>Checks the gzip magic and returns the trailer's ISIZE (the uncompressed length mod 2^32).</summary>
    private static uint ReadGzipFrame(Stream archive, long start)
    {
        var length = archive.Length - start;
        Span<byte> head = stackalloc byte[2];
        if (length < 18 || archive.ReadAtLeast(head, 2, throwOnEndOfStream: false) < 2 || !head.SequenceEqual(s_gzipMagic))
        {
            throw new WorkspaceArchiveException("Not a gzip file: upload a .tar.gz (or .tgz) archive.");
        }

        Span<byte> size = stackalloc byte[4];
        archive.Position = start + length - 4;
        archive.ReadExactly(size);
        archive.Position = start;
        return BinaryPrimitives.ReadUInt32LittleEndian(size);
    }

    private static WorkspaceArchiveSummary Check(List<ArchiveEntry> entries, long unpacked)
    {
        foreach (var entry in entries)
        {
            entry.Path = ArchivePath.Normalize(entry.Name, entry.Name);
        }

        var home = entries.All(e => e.Path.Length > 0 && HomeFolders.Contains(e.Path[0], StringComparer.Ordinal));
        var root = home ? WorkspaceExtractRoot.Home : WorkspaceExtractRoot.Workspace;
        var symlinks = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var path = entry.Path;
            var own = entry.Type == TarEntryType.Directory ? path.Length : path.Length - 1;
            for (var depth = 1; depth <= own; depth++)
            {
                folders.Add(string.Join('/', path[..depth]));
            }

            if (path.Length == 0 && entry.Type != TarEntryType.Directory)
            {
                throw new WorkspaceArchiveException($"Entry '{entry.Name}' has no name.");
            }

            ArchivePath.RejectThroughSymlink(entry.Name, path, symlinks);
            switch (entry.Type)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.Directory:
                    break;
                case TarEntryType.SymbolicLink:
                    var target = ArchivePath.ResolveSymlink(entry.Name, path, entry.LinkName);
                    ArchivePath.RejectOutside(entry.Name, target, home, $"symlink to '{entry.LinkName}'");
                    symlinks.Add(string.Join('/', path));
                    break;
                case TarEntryType.HardLink:
                    // A hard link names another entry of the archive, relative to the extraction root.
                    var linked = ArchivePath.Normalize(entry.Name, entry.LinkName);
                    ArchivePath.RejectOutside(entry.Name, linked, home, $"hard link to '{entry.LinkName}'");
                    ArchivePath.RejectThroughSymlink(entry.Name, [.. linked, ""], symlinks);
                    break;
                default:
                    throw new WorkspaceArchiveException(
                        $"Entry '{entry.Name}' is a {Describe(entry.Type)}; only files, folders and links can be uploaded.");
            }
        }

        return new WorkspaceArchiveSummary(root, entries.Count, unpacked) { Folders = [.. folders.Order(StringComparer.Ordinal)] };
    }

    private static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.CharacterDevice => "character device",
        TarEntryType.BlockDevice => "block device",
        TarEntryType.Fifo => "fifo",
        TarEntryType.SparseFile => "sparse file",
        _ => $"'{type}' entry",
    };

    private sealed class ArchiveEntry
    {
        public required string Name { get; init; }

        public required TarEntryType Type { get; init; }

        public required string LinkName { get; init; }

        public required long Length { get; init; }

        public string[] Path { get; set; } = [];

        public static ArchiveEntry From(TarEntry entry) => new()
        {
            Name = entry.Name,
            Type = entry.EntryType,
            LinkName = entry.LinkName ?? "",
            Length = entry.Length,
        };
    }

    /// <summary>Counts what the tar reader pulls out of the gzip stream (to compare with the gzip trailer).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            BytesRead += n;
            return n;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
