using System.Text.Json;
using RemoltBlazor.Data.Events;

namespace RemoltBlazor.Data.Tests.Events;

public sealed class EventLogTests
{
    [Fact]
    public async Task EmitAsync_WithEventsFile_AppendsOriginalJsonLineShape()
    {
        var file = Path.Combine(Path.GetTempPath(), $"remolt-events-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var db = await TestDatabase.CreateAsync(file);

            await db.Events.EmitAsync("session.created", EventFields.Of(("session_id", "abc"), ("user", "alice"), ("has_repo", false)));
            await db.Events.EmitAsync("session.ended", EventFields.Of(("session_id", "abc"), ("reason", "user"), ("duration_s", 12)));

            var lines = await File.ReadAllLinesAsync(file);
            lines.Length.ShouldBe(2);
            using var first = JsonDocument.Parse(lines[0]);
            first.RootElement.GetProperty("event").GetString().ShouldBe("session.created");
            first.RootElement.GetProperty("session_id").GetString().ShouldBe("abc");
            first.RootElement.GetProperty("has_repo").GetBoolean().ShouldBeFalse();
            first.RootElement.GetProperty("ts").GetDouble().ShouldBe(db.Time.GetUtcNow().ToUnixTimeSeconds(), 0.01);
            using var second = JsonDocument.Parse(lines[1]);
            second.RootElement.GetProperty("duration_s").GetInt32().ShouldBe(12);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task EmitAsync_Always_StoresRowWithSessionId()
    {
        await using var db = await TestDatabase.CreateAsync();

        await db.Events.EmitAsync("terminal.connected", EventFields.Of(("session_id", "s9")));

        var recent = await db.Events.RecentAsync(10, "s9");
        recent.Count.ShouldBe(1);
        recent[0].Name.ShouldBe("terminal.connected");
        recent[0].Fields.ShouldContain("\"session_id\":\"s9\"");
    }

    [Fact]
    public async Task EmitAsync_UnwritableEventsFile_StillRecordsInDatabase()
    {
        await using var db = await TestDatabase.CreateAsync("/proc/remolt-cannot-write-here.jsonl");

        await db.Events.EmitAsync("server.started", EventFields.Of(("max_sessions", 10)));

        (await db.Events.RecentAsync(1)).Single().Name.ShouldBe("server.started");
    }
}
