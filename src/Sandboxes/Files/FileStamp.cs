using System.Globalization;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// What <c>find -printf '%s %T@ %i'</c> says of a file: size, modification time (seconds with the nanoseconds as
/// printed) and inode. <see cref="Version"/> is the version of a file too large to hash: size, nanosecond mtime and
/// inode change with every write through <c>mv</c> (a new inode) and with every in-place write on ext4/overlayfs,
/// which keep nanosecond timestamps. Text-sized files are versioned by a content hash instead (see
/// <see cref="FileVersions"/>), which no coarse clock or same-size rewrite can fool.
/// </summary>
internal readonly record struct FileStamp(long Size, string RawModified, long Inode)
{
    public DateTimeOffset Modified => ParseEpoch(RawModified);

    public string Version => $"stat:{Size.ToString(CultureInfo.InvariantCulture)}:{RawModified}:{Inode.ToString(CultureInfo.InvariantCulture)}";

    /// <exception cref="FileOperationException">The line is not three numbers.</exception>
    public static FileStamp Parse(string line)
    {
        var parts = line.Trim().Split(' ');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
        {
            throw new FileOperationException($"The sandbox described the file in an unexpected way: '{line}'.");
        }

        _ = ParseEpoch(parts[1]);
        return new FileStamp(size, parts[1], inode);
    }

    /// <summary><c>1733571234.1234567890</c> (find's <c>%T@</c>) to a time, to the tick.</summary>
    public static DateTimeOffset ParseEpoch(string value)
    {
        var dot = value.IndexOf('.');
        var whole = dot < 0 ? value : value[..dot];
        var fraction = dot < 0 ? "" : value[(dot + 1)..];
        if (!long.TryParse(whole, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            || (fraction.Length > 0 && !fraction.All(char.IsAsciiDigit)))
        {
            throw new FileOperationException($"The sandbox reported an unexpected time: '{value}'.");
        }

        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(ticks);
    }
}
