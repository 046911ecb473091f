using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RemoltBlazor.Data.Backup;

/// <summary>The raw SQLite steps of backup and restore, on unpooled connections (a pooled one would keep the file open).</summary>
internal static class SqliteFiles
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int BusyAttempts = 50;
    private static readonly TimeSpan s_busyPause = TimeSpan.FromMilliseconds(100);

    public static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>
    /// SQLite's online backup API: a consistent copy of <paramref name="source"/> taken in one read transaction, so a
    /// server writing in WAL mode at the same time neither blocks nor tears it.
    /// </summary>
    /// <remarks>
    /// A step can still find the source busy (SQLITE_BUSY: a writer resetting the WAL, a checkpoint): SQLite says to
    /// retry it, so it is retried for a while before the error reaches the caller.
    /// </remarks>
    public static void Copy(string source, string destination)
    {
        using var from = Open(source, SqliteOpenMode.ReadWrite);
        using var to = Open(destination, SqliteOpenMode.ReadWriteCreate);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                from.BackupDatabase(to);
                return;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked && attempt < BusyAttempts)
            {
                Thread.Sleep(s_busyPause);
            }
        }
    }

    public static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static bool HasTable(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>"ok" or the first problems <c>PRAGMA integrity_check</c> reports.</summary>
    public static string IntegrityCheck(string path)
    {
        using var connection = Open(path, SqliteOpenMode.ReadWrite);
        return Scalar(connection, "PRAGMA integrity_check(5);");
    }

    /// <summary>
    /// Folds the WAL into the database file and leaves WAL mode, so the file is complete on its own and can be moved
    /// aside. SQLite answers "busy" while another connection is inside a transaction; idle ones do not stop it, which
    /// is why a restore first takes the <see cref="DataFolderLock"/>.
    /// </summary>
    public static void LeaveWalMode(string path)
    {
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadWrite);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=DELETE;";
            command.CommandTimeout = 1;
            var mode = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase))
            {
                throw InUse(path, $"journal mode stayed {mode}");
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            throw InUse(path, ex.Message);
        }
    }

    private static DatabaseRefusedException InUse(string path, string detail) => new(
        $"{path} is in use ({detail}): a server is probably running on this data folder. Stop it, then run restore again; nothing was changed.");
}
