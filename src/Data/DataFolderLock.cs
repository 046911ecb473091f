using Microsoft.Extensions.Options;

namespace RemoltBlazor.Data;

/// <summary>
/// Tells a restore that a server uses the data folder. A running server holds a shared <c>flock</c> on
/// <c>remolt.lock</c> for its lifetime (taken before migrating); a restore takes it exclusively while it swaps files,
/// so it refuses while any server runs, and a server started during a restore refuses to start. SQLite's own locks
/// cannot say this: an idle pooled connection in WAL mode holds none a restore could see, and POSIX locks do not
/// conflict inside one process. flock locks belong to the open file, so they do. The lock file is not the database:
/// closing any descriptor of the database would drop SQLite's POSIX locks on it.
/// </summary>
public sealed class DataFolderLock(IOptions<DataOptions> options) : IDisposable
{
    public const string FileName = "remolt.lock";

    private readonly Lock _gate = new();
    private FileStream? _shared;

    /// <summary>Held until disposed (with the app's services); several servers may share it (tests, a restart's overlap).</summary>
    public void HoldShared()
    {
        lock (_gate)
        {
            if (_shared is not null)
            {
                return;
            }

            var path = PathIn(Path.GetDirectoryName(options.Value.DatabasePath)!);
            try
            {
                _shared = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (IOException ex) when (ex is not FileNotFoundException)
            {
                throw new DatabaseRefusedException($"A restore is running on {Path.GetDirectoryName(path)} ({ex.Message}); start the server when it has finished.");
            }
        }
    }

    /// <summary>The exclusive lock a restore holds while it works; throws when a server (or another restore) holds the folder.</summary>
    public static IDisposable TakeExclusive(string folder)
    {
        var path = PathIn(folder);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            throw new DatabaseRefusedException(
                $"{folder} is in use by a running server ({ex.Message}). Stop it, then run restore again; nothing was changed.");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _shared?.Dispose();
            _shared = null;
        }
    }

    /// <summary>The lock file's path, created (empty) if missing; it is never written.</summary>
    private static string PathIn(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
            }
        }

        return path;
    }
}
