using Microsoft.Data.Sqlite;

namespace RemoltBlazor.TestSupport;

/// <summary>A test's own data folder (SQLite database, events, instance id) under the temp directory.</summary>
public static class TestDataFolder
{
    /// <summary>A new folder under <c>{temp}/{area}</c>, its instance id one of this <see cref="TestRun"/>.</summary>
    public static string Create(string area)
    {
        var folder = Path.Combine(Path.GetTempPath(), area, Guid.NewGuid().ToString("N"));
        TestRun.ClaimInstance(folder);
        return folder;
    }

    /// <summary>
    /// Deletes the folder once its app is disposed. Pooled SQLite connections keep the database file open after
    /// their context is gone, so the pools are cleared first.
    /// </summary>
    public static void Delete(string folder)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open by a pooled connection on another thread; the folder is under the temp directory.
        }
    }
}
