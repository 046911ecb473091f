using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Entities;

namespace RemoltBlazor.Data.Events;

/// <summary>
/// The original's <c>emit</c>: every event becomes a JSON line <c>{"ts": epoch-seconds, "event": name, ...fields}</c> on
/// stdout and in <c>REMOLT_EVENTS_LOG</c>, and a row in the database. Callers must never pass secrets as fields.
/// A failing sink is logged and does not fail the caller: losing an audit line must not end a user's session.
/// </summary>
public sealed partial class EventLog(
    IDbContextFactory<RemoltDbContext> contextFactory,
    IOptions<DataOptions> options,
    TimeProvider timeProvider,
    ILogger<EventLog> logger)
{
    private readonly Lock _fileLock = new();

    public async Task EmitAsync(string name, IReadOnlyList<KeyValuePair<string, object?>> fields, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var fieldsJson = new JsonObject();
        foreach (var (key, value) in fields)
        {
            fieldsJson[key] = JsonSerializer.SerializeToNode(value);
        }

        var line = new JsonObject { ["ts"] = Math.Round(now.ToUnixTimeMilliseconds() / 1000.0, 3), ["event"] = name };
        foreach (var (key, value) in fieldsJson)
        {
            line[key] = value?.DeepClone();
        }

        var text = line.ToJsonString();
        WriteLines(text);

        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            db.Events.Add(new EventRecord
            {
                Timestamp = now,
                Name = name,
                SessionId = fieldsJson["session_id"]?.GetValue<string>(),
                Fields = fieldsJson.ToJsonString(),
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // The host is being torn down (the last events of a stop): stdout and the file still got the line.
            LogSinkClosed(logger, name);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSinkFailed(logger, "database", name, ex);
        }
    }

    public Task EmitAsync(string name, params KeyValuePair<string, object?>[] fields) => EmitAsync(name, (IReadOnlyList<KeyValuePair<string, object?>>)fields);

    /// <summary>Most recent events, newest first (for tests and the admin page).</summary>
    public async Task<IReadOnlyList<EventRecord>> RecentAsync(int count, string? sessionId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Events.AsNoTracking();
        if (sessionId is not null)
        {
            query = query.Where(e => e.SessionId == sessionId);
        }

        return await query.OrderByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The newest events matching <paramref name="query"/>, newest first (the admin page's events panel). The user
    /// filter reads the JSON fields where events name a login, and also takes every event of the sessions that user
    /// owns (a terminal connect names only its session). It scans the fields of the newest rows first and stops at
    /// <see cref="EventQuery.Count"/>, which is cheap enough for a table an admin filters by hand.
    /// </summary>
    public async Task<IReadOnlyList<EventRecord>> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var user = Blank(query.User);
        var events = user is null
            ? db.Events.AsNoTracking()
            : db.Events.FromSql($"""
                SELECT * FROM events
                WHERE json_extract(Fields, '$.user') = {user} OR json_extract(Fields, '$.owner') = {user}
                   OR json_extract(Fields, '$.by') = {user} OR json_extract(Fields, '$.login') = {user}
                   OR SessionId IN (SELECT Id FROM sessions WHERE Owner = {user})
                """).AsNoTracking();

        if (Blank(query.Type) is { } type)
        {
            var below = type.EndsWith('.') ? type : type + ".";
            var exact = type.TrimEnd('.');
            events = events.Where(e => e.Name == exact || e.Name.StartsWith(below));
        }

        if (Blank(query.SessionId) is { } sessionId)
        {
            events = events.Where(e => e.SessionId == sessionId);
        }

        var count = Math.Clamp(query.Count, 1, EventQuery.MaxCount);
        return await events.OrderByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private void WriteLines(string text)
    {
        var settings = options.Value;
        if (settings.EventsToStdout)
        {
            Console.Out.WriteLine(text);
        }

        if (string.IsNullOrWhiteSpace(settings.EventsLogPath))
        {
            return;
        }

        try
        {
            lock (_fileLock)
            {
                File.AppendAllText(settings.EventsLogPath, text + "\n");
            }
        }
        catch (IOException ex)
        {
            LogSinkFailed(logger, settings.EventsLogPath, "file", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            LogSinkFailed(logger, settings.EventsLogPath, "file", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Database closed before {EventName} could be stored")]
    private static partial void LogSinkClosed(ILogger logger, string eventName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event sink {Sink} failed to record {EventName}")]
    private static partial void LogSinkFailed(ILogger logger, string sink, string eventName, Exception exception);
}
