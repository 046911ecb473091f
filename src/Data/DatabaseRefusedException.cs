namespace RemoltBlazor.Data;

/// <summary>
/// The database (or a backup's copy of it) cannot be used by this build: it is not a SQLite file, it was written by a
/// newer RemoltBlazor, or it is in use. The message is a sentence an operator acts on; nothing was changed.
/// </summary>
public sealed class DatabaseRefusedException(string message) : Exception(message);
