using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Events;

namespace RemoltBlazor.Data.Tests.Events;

/// <summary>The admin page's events panel: <see cref="EventLog.QueryAsync"/> on a real SQLite file.</summary>
public sealed class EventQueryTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.Sessions.InsertAsync(new SessionRecord { Id = "s-alice", Owner = "alice", AgentId = "claude-code", State = SessionState.Running, CreatedAt = _db.Time.GetUtcNow(), LastActivityAt = _db.Time.GetUtcNow() }, CancellationToken.None);
        await _db.Sessions.InsertAsync(new SessionRecord { Id = "s-bob", Owner = "bob", AgentId = "codex", State = SessionState.Running, CreatedAt = _db.Time.GetUtcNow(), LastActivityAt = _db.Time.GetUtcNow() }, CancellationToken.None);
        await EmitAsync("server.started", ("max_sessions", 10));
        await EmitAsync("session.created", ("session_id", "s-alice"), ("user", "alice"));
        await EmitAsync("session.created", ("session_id", "s-bob"), ("user", "bob"));
        await EmitAsync("terminal.connected", ("session_id", "s-alice"), ("window", 0));
        await EmitAsync("auth.login", ("login", "bob"), ("provider", "github"));
        await EmitAsync("sessions.note", ("session_id", "s-bob"));
        await EmitAsync("session.ended", ("session_id", "s-bob"), ("reason", "admin"), ("by", "alice"));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task QueryAsync_NoFilter_NewestFirst()
    {
        var names = await NamesAsync(new EventQuery());

        names.ShouldBe(["session.ended", "sessions.note", "auth.login", "terminal.connected", "session.created", "session.created", "server.started"]);
    }

    [Theory]
    [InlineData("session", new[] { "session.ended", "session.created", "session.created" })]
    [InlineData("session.", new[] { "session.ended", "session.created", "session.created" })]
    [InlineData("session.ended", new[] { "session.ended" })]
    [InlineData("sessions", new[] { "sessions.note" })]
    [InlineData("sess", new string[0])]
    [InlineData(" ", new[] { "session.ended", "sessions.note", "auth.login", "terminal.connected", "session.created", "session.created", "server.started" })]
    public async Task QueryAsync_Type_MatchesTheNameAndNamesBelowIt(string type, string[] expected)
    {
        (await NamesAsync(new EventQuery(Type: type))).ShouldBe(expected);
    }

    [Fact]
    public async Task QueryAsync_User_EventsNamingThemAndEventsOfTheirSessions()
    {
        var alices = await _db.Events.QueryAsync(new EventQuery(User: "alice"));
        var bobs = await _db.Events.QueryAsync(new EventQuery(User: "bob"));

        // alice: her session's events, and the end of bob's session that she caused ("by").
        alices.Select(e => (e.Name, e.SessionId)).ShouldBe([("session.ended", "s-bob"), ("terminal.connected", "s-alice"), ("session.created", "s-alice")]);
        bobs.Select(e => e.Name).ShouldBe(["session.ended", "sessions.note", "auth.login", "session.created"]);
        (await _db.Events.QueryAsync(new EventQuery(User: "carol"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task QueryAsync_SessionAndTypeAndUser_Combine()
    {
        (await NamesAsync(new EventQuery(SessionId: "s-alice"))).ShouldBe(["terminal.connected", "session.created"]);
        (await NamesAsync(new EventQuery(Type: "session", User: "bob", SessionId: "s-bob"))).ShouldBe(["session.ended", "session.created"]);
        (await NamesAsync(new EventQuery(Type: "terminal", User: "bob"))).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    public async Task QueryAsync_Count_IsBounded(int count, int expected)
    {
        var events = await _db.Events.QueryAsync(new EventQuery(Count: count));

        events.Count.ShouldBe(expected);
        events[0].Name.ShouldBe("session.ended");
    }

    [Fact]
    public async Task QueryAsync_HugeCount_ClampedToTheMaximum()
    {
        for (var i = 0; i < EventQuery.MaxCount; i++)
        {
            await EmitAsync("terminal.disconnected", ("session_id", "s-alice"));
        }

        (await _db.Events.QueryAsync(new EventQuery(Count: int.MaxValue))).Count.ShouldBe(EventQuery.MaxCount);
    }

    [Fact]
    public async Task QueryAsync_UserWithQuotes_IsAParameterNotSql()
    {
        (await _db.Events.QueryAsync(new EventQuery(User: "x' OR 1=1 --"))).ShouldBeEmpty();
    }

    private async Task<string[]> NamesAsync(EventQuery query) => [.. (await _db.Events.QueryAsync(query)).Select(e => e.Name)];

    private Task EmitAsync(string name, params (string Key, object? Value)[] fields) => _db.Events.EmitAsync(name, EventFields.Of(fields));
}
