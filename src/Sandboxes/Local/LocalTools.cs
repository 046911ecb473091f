namespace RemoltBlazor.Sandboxes.Local;

/// <summary>Host tools the runtime runs (bwrap, tmux, setpriv, setsid), found on the PATH.</summary>
internal static class LocalTools
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
