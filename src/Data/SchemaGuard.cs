using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RemoltBlazor.Data.Backup;

namespace RemoltBlazor.Data;

/// <summary>
/// Checks a database file before anything migrates or replaces it. EF Core's <c>Migrate</c> silently ignores applied
/// migrations it does not know, so an older build started on a newer database would write rows the newer schema
/// does not expect (and later migrations could not undo): refuse instead, and say what to do.
/// </summary>
internal static class SchemaGuard
{
    private const string HistoryTable = "__EFMigrationsHistory";

    // Every SQLite 3 file starts with these 16 bytes (https://www.sqlite.org/fileformat.html#the_database_header).
    private static readonly byte[] s_header = "SQLite format 3\0"u8.ToArray();

    /// <summary>The migrations this build knows (compiled in; nothing is opened).</summary>
    public static async Task<IReadOnlyCollection<string>> KnownMigrationsAsync(IDbContextFactory<RemoltDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return [.. db.Database.GetMigrations()];
    }

    /// <summary>
    /// The migrations applied to <paramref name="databasePath"/>, oldest first (empty for a missing or empty file).
    /// Throws <see cref="DatabaseRefusedException"/> if the file is not SQLite or holds migrations <paramref name="known"/>
    /// lacks. Opens the file without creating it and writes nothing.
    /// </summary>
    public static IReadOnlyList<string> Check(string databasePath, IReadOnlyCollection<string> known)
    {
        if (!File.Exists(databasePath) || new FileInfo(databasePath).Length == 0)
        {
            return [];
        }

        if (!HasSqliteHeader(databasePath))
        {
            throw new DatabaseRefusedException(
                $"{databasePath} is not a SQLite database (its first bytes are not SQLite's header). " +
                "Point REMOLT_DATA_DIR at the right folder, or move the file away and restore a backup.");
        }

        var applied = ReadApplied(databasePath);
        var unknown = applied.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new DatabaseRefusedException(
                $"{databasePath} has migrations this build does not know ({string.Join(", ", unknown)}): this database was " +
                "written by a newer RemoltBlazor; run that version or restore a backup taken before the upgrade.");
        }

        return applied;
    }

    internal static bool HasSqliteHeader(string path)
    {
        Span<byte> start = stackalloc byte[16];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && start.SequenceEqual(s_header);
    }

    private static List<string> ReadApplied(string path)
    {
        try
        {
            using var connection = SqliteFiles.Open(path, SqliteOpenMode.ReadWrite); // never create; read-only cannot open a WAL file whose -shm is gone
            if (!SqliteFiles.HasTable(connection, HistoryTable))
            {
                return [];
            }

            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT MigrationId FROM \"{HistoryTable}\" ORDER BY MigrationId";
            using var reader = select.ExecuteReader();
            var applied = new List<string>();
            while (reader.Read())
            {
                applied.Add(reader.GetString(0));
            }

            return applied;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            throw new DatabaseRefusedException($"{path} is not a readable SQLite database ({ex.Message}). Move it away and restore a backup.");
        }
    }
}
