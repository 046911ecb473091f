using System.Security.Cryptography;

namespace RemoltBlazor.Data.Backup;

/// <summary>
/// Files that hold secrets (database copies, master keys, archives): created with mode 0600 from the first byte, and
/// put in place by a rename so a reader never sees half a file.
/// </summary>
internal static class PrivateFiles
{
    /// <summary>A new, empty, owner-only file in <paramref name="folder"/> (a name starting with a dot) for scratch work.</summary>
    public static string CreateScratch(string folder, string suffix)
    {
        var path = Path.Combine(folder, $".{RandomNumberGenerator.GetHexString(12, lowercase: true)}{suffix}");
        using (Create(path))
        {
        }

        return path;
    }

    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    /// <summary>Writes through a temporary sibling, then renames it over <paramref name="path"/>.</summary>
    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        var temp = path + $".{RandomNumberGenerator.GetHexString(8, lowercase: true)}.tmp";
        try
        {
            await using (var file = Create(temp))
            {
                await write(file);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Scratch under the data folder; a leftover is named with a leading dot and harmless.
        }
    }
}
