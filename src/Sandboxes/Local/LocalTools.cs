using System.Diagnostics;
using System.Globalization;

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

    /// <summary>
    /// Whether <paramref name="uid"/> can pass through to <paramref name="folder"/> (made if missing), tried as that uid
    /// (setpriv as a root server); null when the check itself could not run.
    /// </summary>
    public static async Task<bool?> ReachableAsync(string folder, int uid, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var id = uid.ToString(CultureInfo.InvariantCulture);
            var info = new ProcessStartInfo("setpriv") { UseShellExecute = false };
            foreach (var arg in new[] { $"--reuid={id}", $"--regid={id}", "--clear-groups", "--", "test", "-x", folder })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary><paramref name="folder"/> and the folders above it, top first, without the root.</summary>
    public static IEnumerable<string> Ancestors(string folder)
    {
        var chain = new List<string>();
        for (var path = Path.GetFullPath(folder); Path.GetDirectoryName(path) is { } parent; path = parent)
        {
            chain.Add(path);
        }

        chain.Reverse();
        return chain;
    }
}
