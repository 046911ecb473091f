namespace RemoltBlazor.Data.Tests.Users;

public sealed class SignInSessionStoreTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    [Fact]
    public async Task Check_ValidSignIn_NamesTheLogin()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await NewSignInAsync(db, "alice");

        var check = await db.SignIns.CheckAsync(id, Lifetime);

        check.ShouldBe(new Data.Users.SignInCheck(true, "alice", false));
    }

    [Fact]
    public async Task Check_UnknownId_IsInvalid()
    {
        await using var db = await TestDatabase.CreateAsync();
        await NewSignInAsync(db, "alice");

        (await db.SignIns.CheckAsync("forged", Lifetime)).Valid.ShouldBeFalse();
    }

    [Fact]
    public async Task Revoke_EndsThatSignInOnly()
    {
        await using var db = await TestDatabase.CreateAsync();
        var first = await NewSignInAsync(db, "alice");
        var second = await NewSignInAsync(db, "alice");

        (await db.SignIns.RevokeAsync(first)).ShouldBeTrue();

        (await db.SignIns.CheckAsync(first, Lifetime)).Valid.ShouldBeFalse();
        (await db.SignIns.CheckAsync(second, Lifetime)).Valid.ShouldBeTrue();
        (await db.SignIns.RevokeAsync(first)).ShouldBeFalse();
    }

    [Fact]
    public async Task RevokeAll_EndsEverySignInOfThatUser()
    {
        await using var db = await TestDatabase.CreateAsync();
        var first = await NewSignInAsync(db, "alice");
        var second = await NewSignInAsync(db, "alice");
        var bob = await NewSignInAsync(db, "bob");

        (await db.SignIns.RevokeAllAsync("alice")).ShouldBe(2);

        (await db.SignIns.CheckAsync(first, Lifetime)).Valid.ShouldBeFalse();
        (await db.SignIns.CheckAsync(second, Lifetime)).Valid.ShouldBeFalse();
        (await db.SignIns.CheckAsync(bob, Lifetime)).Valid.ShouldBeTrue();
    }

    [Fact]
    public async Task DisabledUser_IsInvalidAtOnce_AndValidAgainWhenEnabled()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await NewSignInAsync(db, "alice");

        await db.Users.SetDisabledAsync("alice", true);
        (await db.SignIns.CheckAsync(id, Lifetime)).Valid.ShouldBeFalse();

        await db.Users.SetDisabledAsync("alice", false);
        (await db.SignIns.CheckAsync(id, Lifetime)).Valid.ShouldBeTrue();
    }

    [Fact]
    public async Task Expiry_SlidesWhileUsed_AndEndsWhenIdleForAWholeLifetime()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await NewSignInAsync(db, "alice");

        db.Time.Advance(TimeSpan.FromDays(3));
        (await db.SignIns.CheckAsync(id, Lifetime)).Renewed.ShouldBeFalse();

        db.Time.Advance(TimeSpan.FromDays(3)); // six days in: past half the lifetime, slides to day 13
        (await db.SignIns.CheckAsync(id, Lifetime)).ShouldBe(new Data.Users.SignInCheck(true, "alice", true));

        db.Time.Advance(TimeSpan.FromDays(6.9));
        (await db.SignIns.CheckAsync(id, Lifetime)).Valid.ShouldBeTrue();

        db.Time.Advance(Lifetime);
        (await db.SignIns.CheckAsync(id, Lifetime)).Valid.ShouldBeFalse();
    }

    private static async Task<string> NewSignInAsync(TestDatabase db, string login)
    {
        var user = await db.Users.RecordSignInAsync("github", login, null, null, null, CancellationToken.None);
        return await db.SignIns.CreateAsync(user.Id, Lifetime);
    }
}
