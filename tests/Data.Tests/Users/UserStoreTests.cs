using System.Text;
using Microsoft.EntityFrameworkCore;

namespace RemoltBlazor.Data.Tests.Users;

public sealed class UserStoreTests
{
    private const string Token = "gho_plaintext-token-that-must-not-be-on-disk";

    [Fact]
    public async Task RecordSignIn_CreatesThenRefreshes_KeepingFirstSeen()
    {
        await using var db = await TestDatabase.CreateAsync();
        var first = await db.Users.RecordSignInAsync("github", "alice", "Alice", "a@example.com", null, CancellationToken.None);
        db.Time.Advance(TimeSpan.FromHours(1));
        var again = await db.Users.RecordSignInAsync("github", "alice", "Alice A.", "", null, CancellationToken.None);

        again.Id.ShouldBe(first.Id);
        again.FirstSeen.ShouldBe(first.FirstSeen);
        again.LastSeen.ShouldBe(first.FirstSeen + TimeSpan.FromHours(1));
        (await db.Users.FindAsync("alice"))!.Name.ShouldBe("Alice A.");
    }

    [Fact]
    public async Task GitHubToken_RoundTrips_AndTheDatabaseFileNeverHoldsIt()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Users.RecordSignInAsync("github", "alice", null, null, Token, CancellationToken.None);

        (await db.Users.GetGitHubTokenAsync("alice")).ShouldBe(Token);
        (await db.Users.GetGitHubTokenAsync("bob")).ShouldBeNull();

        foreach (var (file, text) in await db.FileTextsAsync())
        {
            text.ShouldNotContain("plaintext-token", customMessage: file);
        }
    }

    [Fact]
    public async Task SignInWithoutToken_KeepsTheStoredOne()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Users.RecordSignInAsync("github", "alice", null, null, Token, CancellationToken.None);
        await db.Users.RecordSignInAsync("github", "alice", null, null, null, CancellationToken.None);

        (await db.Users.GetGitHubTokenAsync("alice")).ShouldBe(Token);
    }

    [Fact]
    public async Task SealedTokenCopiedToAnotherUser_DoesNotOpen()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Users.RecordSignInAsync("github", "alice", null, null, Token, CancellationToken.None);
        await db.Users.RecordSignInAsync("github", "mallory", null, null, null, CancellationToken.None);
        await using (var ctx = await db.Contexts.CreateDbContextAsync())
        {
            var alice = await ctx.Users.SingleAsync(u => u.Login == "alice");
            var mallory = await ctx.Users.SingleAsync(u => u.Login == "mallory");
            mallory.GitHubTokenKeyId = alice.GitHubTokenKeyId;
            mallory.GitHubTokenSealed = alice.GitHubTokenSealed;
            await ctx.SaveChangesAsync();
        }

        (await db.Users.GetGitHubTokenAsync("mallory")).ShouldBeNull();
    }
}
