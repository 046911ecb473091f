using System.Text;
using Microsoft.EntityFrameworkCore;
using RemoltBlazor.Data.Keys;

namespace RemoltBlazor.Data.Tests.Keys;

public sealed class AccessTokenStoreTests
{
    [Fact]
    public async Task Create_GivesAnRmtTokenOnce_StoredOnlyAsAHashWithAVisiblePrefix()
    {
        await using var db = await TestDatabase.CreateAsync();
        var tokens = db.Get<AccessTokenStore>();

        var created = await tokens.CreateAsync("alice", "laptop", null, CancellationToken.None);

        created.Token.ShouldStartWith("rmt_");
        created.Token.Length.ShouldBe(4 + 43);
        created.Record.Prefix.ShouldBe(created.Token[..12]);
        (await tokens.AuthenticateAsync(created.Token, CancellationToken.None))!.Owner.ShouldBe("alice");
        var listed = (await tokens.ListAsync("alice", CancellationToken.None)).ShouldHaveSingleItem();
        listed.Name.ShouldBe("laptop");
        listed.LastUsedAt.ShouldBe(db.Time.GetUtcNow());
        (await tokens.ListAsync("bob", CancellationToken.None)).ShouldBeEmpty();

        foreach (var (file, text) in await db.FileTextsAsync())
        {
            text.ShouldNotContain(created.Token[12..], customMessage: file);
        }
    }

    [Fact]
    public async Task Authenticate_RefusesForgedRevokedAndExpiredTokens()
    {
        await using var db = await TestDatabase.CreateAsync();
        var tokens = db.Get<AccessTokenStore>();
        var live = await tokens.CreateAsync("alice", "live", null, CancellationToken.None);
        var revoked = await tokens.CreateAsync("alice", "revoked", null, CancellationToken.None);
        var expiring = await tokens.CreateAsync("alice", "expiring", db.Time.GetUtcNow().AddHours(1), CancellationToken.None);

        // Same prefix, different secret part: found by prefix, refused by the hash.
        var forged = live.Token[..12] + new string('A', live.Token.Length - 12);
        (await tokens.AuthenticateAsync(forged, CancellationToken.None)).ShouldBeNull();
        (await tokens.AuthenticateAsync("rmt_short", CancellationToken.None)).ShouldBeNull();
        (await tokens.AuthenticateAsync(live.Token + "x", CancellationToken.None)).ShouldBeNull();

        (await tokens.RevokeAsync("bob", revoked.Record.Id, CancellationToken.None)).ShouldBeFalse();
        (await tokens.AuthenticateAsync(revoked.Token, CancellationToken.None)).ShouldNotBeNull();
        (await tokens.RevokeAsync("alice", revoked.Record.Id, CancellationToken.None)).ShouldBeTrue();
        (await tokens.AuthenticateAsync(revoked.Token, CancellationToken.None)).ShouldBeNull();

        (await tokens.AuthenticateAsync(expiring.Token, CancellationToken.None)).ShouldNotBeNull();
        db.Time.Advance(TimeSpan.FromHours(1));
        (await tokens.AuthenticateAsync(expiring.Token, CancellationToken.None)).ShouldBeNull();
        (await tokens.AuthenticateAsync(live.Token, CancellationToken.None)).ShouldNotBeNull();
    }
}
