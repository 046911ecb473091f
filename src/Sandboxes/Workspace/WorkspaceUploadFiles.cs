using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>
/// The temporary files uploads are staged in: readable by the server's user only (an upload is someone's source
/// code), deleted when closed, and named with the server's process id so that files a crashed server left behind
/// (DeleteOnClose never ran) are removed at the next start without touching another running server's uploads.
/// </summary>
internal sealed partial class WorkspaceUploadFiles(ILogger<WorkspaceUploadFiles> logger) : IHostedService
{
    public const string Prefix = "remolt-upload-";
    private const string Suffix = ".tar.gz";

    /// <summary>A file of an older version (no process id in its name) counts as stale once this old.</summary>
    private static readonly TimeSpan s_unnamedStaleAfter = TimeSpan.FromHours(1);

    public static string Folder => Path.GetTempPath();

    /// <summary>A new staging file, mode 0600 from its creation (never briefly world-readable), deleted on close.</summary>
    public static FileStream Create(int bufferSize)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = bufferSize,
            Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(Path.Combine(Folder, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}{Suffix}"), options);
    }

    /// <summary>Deletes the staging files of processes that no longer run; returns how many went.</summary>
    public static int DeleteStale(string folder, TimeProvider timeProvider)
    {
        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(folder, Prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(path)[Prefix.Length..^Suffix.Length];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            var stale = dash > 0 && int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                ? pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}")
                : timeProvider.GetUtcNow() - File.GetLastWriteTimeUtc(path) > s_unnamedStaleAfter;
            if (stale && TryDelete(path))
            {
                deleted++;
            }
        }

        return deleted;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (DeleteStale(Folder, TimeProvider.System) is > 0 and var count)
            {
                LogDeleted(logger, count, Folder);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(logger, Folder, ex);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // Someone else's file, or gone already.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} upload staging files a previous run left in {Folder}")]
    private static partial void LogDeleted(ILogger logger, int count, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not clean stale upload staging files in {Folder}")]
    private static partial void LogCleanupFailed(ILogger logger, string folder, Exception exception);
}
