using RemoltBlazor.Data.Entities;

namespace RemoltBlazor.Data.Tests.Sessions;

public sealed class SessionStoreTests
{
    [Fact]
    public async Task InsertAsync_NewSession_IsReadBackFromTheFile()
    {
        await using var db = await TestDatabase.CreateAsync();
        var created = db.Time.GetUtcNow();
        await db.Sessions.InsertAsync(NewSession("s1", created), CancellationToken.None);

        var found = await db.Sessions.FindAsync("s1", CancellationToken.None);

        found.ShouldNotBeNull();
        found.Owner.ShouldBe("alice");
        found.State.ShouldBe(SessionState.Running);
        found.CreatedAt.ShouldBe(created);
        File.Exists(Path.Combine(db.Folder, "remolt.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task ListLiveAsync_EndedSession_IsNotListed()
    {
        await using var db = await TestDatabase.CreateAsync();
        var now = db.Time.GetUtcNow();
        await db.Sessions.InsertAsync(NewSession("live", now), CancellationToken.None);
        var ended = NewSession("gone", now.AddMinutes(1));
        ended.State = SessionState.Ended;
        ended.EndReason = "user";
        await db.Sessions.InsertAsync(ended, CancellationToken.None);

        var live = await db.Sessions.ListLiveAsync(CancellationToken.None);

        live.Select(s => s.Id).ShouldBe(["live"]);
    }

    [Fact]
    public async Task TouchAsync_ExistingSession_MovesLastActivity()
    {
        await using var db = await TestDatabase.CreateAsync();
        var now = db.Time.GetUtcNow();
        await db.Sessions.InsertAsync(NewSession("s1", now), CancellationToken.None);

        await db.Sessions.TouchAsync("s1", now.AddMinutes(5), CancellationToken.None);

        (await db.Sessions.FindAsync("s1", CancellationToken.None))!.LastActivityAt.ShouldBe(now.AddMinutes(5));
    }

    [Fact]
    public async Task FindAsync_UnknownId_ReturnsNull()
    {
        await using var db = await TestDatabase.CreateAsync();

        (await db.Sessions.FindAsync("nope", CancellationToken.None)).ShouldBeNull();
    }

    private static SessionRecord NewSession(string id, DateTimeOffset at) => new()
    {
        Id = id,
        Owner = "alice",
        AgentId = "claude-code",
        SandboxId = "c-" + id,
        State = SessionState.Running,
        CreatedAt = at,
        LastActivityAt = at,
    };
}
