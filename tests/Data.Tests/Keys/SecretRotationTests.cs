using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Data.Secrets;

namespace RemoltBlazor.Data.Tests.Keys;

public sealed class SecretRotationTests
{
    [Fact]
    public async Task Rotate_ResealsEveryRowUnderANewKey_RetiresTheOldOne_AndKeepsThePlaintext()
    {
        await using var db = await TestDatabase.CreateAsync();
        var keys = db.Get<ApiKeyStore>();
        var ring = db.Get<SecretKeyRing>();
        await keys.ApplyAsync("alice", new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = "alice-secret" }, CancellationToken.None);
        await keys.ApplyAsync("bob", new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "bob-secret" }, CancellationToken.None);
        var users = db.Get<RemoltBlazor.Data.Users.UserStore>();
        await users.RecordSignInAsync("github", "carol", null, null, "gho_carol-secret", CancellationToken.None);
        var oldKey = ring.CurrentId;

        var result = await db.Get<SecretRotation>().RotateAsync(CancellationToken.None);

        result.RetiredKeyIds.ShouldBe([oldKey]);
        result.Sets.ShouldBe([new SealedSetRotation("api keys", Resealed: 2, Unreadable: 0), new SealedSetRotation("github tokens", Resealed: 1, Unreadable: 0)], ignoreOrder: true);
        ring.Ids.ShouldBe([result.CurrentKeyId]);
        result.CurrentKeyId.ShouldNotBe(oldKey);
        File.ReadAllText(Path.Combine(db.Folder, SecretKeyRing.FileName)).ShouldNotContain(oldKey);

        // Opened with a ring read back from the file: only the new key exists, and every row opens under it.
        var reread = new SecretProtector(new SecretKeyRing(db.Get<IOptions<DataOptions>>()));
        await using (var context = await db.Contexts.CreateDbContextAsync())
        {
            var rows = context.StoredKeys.AsEnumerable().ToList();
            rows.ShouldAllBe(k => k.KeyId == result.CurrentKeyId);
            rows.Select(k => reread.Unprotect(new ProtectedSecret(k.KeyId, k.Sealed), ApiKeyStore.PurposeOf(k.Owner, k.Name)))
                .Order().ShouldBe(["alice-secret", "bob-secret"]);
        }

        (await keys.ReadAsync("alice", CancellationToken.None))["ANTHROPIC_API_KEY"].ShouldBe("alice-secret");
        (await keys.ReadAsync("bob", CancellationToken.None))["OPENAI_API_KEY"].ShouldBe("bob-secret");
        (await users.FindAsync("carol"))!.GitHubTokenKeyId.ShouldBe(result.CurrentKeyId);
        (await users.GetGitHubTokenAsync("carol")).ShouldBe("gho_carol-secret");
    }
}
