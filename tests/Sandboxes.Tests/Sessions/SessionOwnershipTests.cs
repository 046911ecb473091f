using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Tests.Sessions;

/// <summary>Who a session belongs to: never nobody at create, nobody's when an old row has no owner, anyone's for an admin.</summary>
public sealed class SessionOwnershipTests
{
    private static readonly TimeSpan s_timeout = SessionManagerHarness.Timeout;

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task CreateAsync_EmptyOwner_RefusedBeforeAnything(string owner)
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        await Should.ThrowAsync<ArgumentException>(() => h.Manager.CreateAsync(owner, new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout));

        h.Runtime.Creates.ShouldBeEmpty();
        h.Manager.LiveCount.ShouldBe(0);
    }

    [Fact]
    public async Task OwnerlessSession_NobodyGetsOrListsIt_AdminListingShowsIt()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var now = h.Time.GetUtcNow();
        var ownerless = h.Manager.Adopt(new SessionRecord
        {
            Id = SessionIds.New(), Owner = "", AgentId = "claude-code", State = SessionState.Running, CreatedAt = now, LastActivityAt = now,
        });

        foreach (var caller in new[] { "", "anonymous", "alice" })
        {
            Should.Throw<SessionNotFoundException>(() => h.Manager.Get(ownerless.Id, caller));
            h.Manager.ListRunning(caller).ShouldBeEmpty();
        }

        h.Manager.ListAll().ShouldBe([ownerless]);
    }

    [Fact]
    public async Task ListAll_EveryOwnersSessions_OldestFirst()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var alices = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var bobs = await h.Manager.CreateAsync("bob", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);

        h.Manager.ListAll().ShouldBe([alices, bobs]);
        h.Manager.ListRunning("alice").ShouldBe([alices]);
    }

    [Fact]
    public async Task EndAsAdminAsync_SomeoneElsesSession_EndsIt_EventNamesTheAdmin()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        h.Time.Advance(TimeSpan.FromSeconds(30));

        await h.Manager.EndAsAdminAsync(session.Id, "root", CancellationToken.None).WaitAsync(s_timeout);

        session.State.ShouldBe(SessionState.Ended);
        session.EndReason.ShouldBe("admin");
        h.Runtime.Removes.ShouldBe([session.SandboxId!]);
        var fields = (await h.EventFieldsAsync("session.ended", session.Id)).ShouldHaveSingleItem();
        fields.EnumerateObject().Select(p => p.Name).ShouldBe(["session_id", "reason", "duration_s", "by"]);
        fields.GetProperty("reason").GetString().ShouldBe("admin");
        fields.GetProperty("by").GetString().ShouldBe("root");
        fields.GetProperty("duration_s").GetRawText().ShouldBe("30");
        (await h.Store.FindAsync(session.Id, CancellationToken.None).WaitAsync(s_timeout))!.EndReason.ShouldBe("admin");
    }

    [Fact]
    public async Task EndAsAdminAsync_UnknownOrEnded_NotFound()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        await h.Manager.EndAsync(session.Id, "alice", CancellationToken.None).WaitAsync(s_timeout);

        await Should.ThrowAsync<SessionNotFoundException>(() => h.Manager.EndAsAdminAsync(session.Id, "root", CancellationToken.None).WaitAsync(s_timeout));
        await Should.ThrowAsync<SessionNotFoundException>(() => h.Manager.EndAsAdminAsync(SessionIds.New(), "root", CancellationToken.None).WaitAsync(s_timeout));
        (await h.EventFieldsAsync("session.ended", session.Id)).ShouldHaveSingleItem().TryGetProperty("by", out _).ShouldBeFalse();
    }
}
