namespace RemoltBlazor.Sandboxes.Local.Tools;

/// <summary>Removing what an install made, which the sandbox's uid owned and may have left unwritable (npm and Go caches do).</summary>
internal static class LocalToolFiles
{
    public static void DeleteTree(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Give every folder its owner's write access back, without following links, then try again.
            foreach (var folder in Directory.EnumerateDirectories(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                LocalNative.Chmod(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Directory.Delete(path, recursive: true);
        }
    }
}
