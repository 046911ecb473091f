using System.Text;
using Microsoft.EntityFrameworkCore;
using RemoltBlazor.Data.Keys;

namespace RemoltBlazor.Data.Tests.Keys;

public sealed class ApiKeyStoreTests
{
    private const string Value = "sk-ant-store-9d41c7e2";

    [Fact]
    public async Task Apply_ThenRead_RoundTripsPerOwner_AndBlankDeletes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var keys = db.Get<ApiKeyStore>();

        await keys.ApplyAsync("alice", Changes(("ANTHROPIC_API_KEY", $"  {Value}\n"), ("OPENAI_API_KEY", "sk-openai")), CancellationToken.None);
        await keys.ApplyAsync("bob", Changes(("OPENAI_API_KEY", "bob-value")), CancellationToken.None);

        (await keys.NamesAsync("alice", CancellationToken.None)).ShouldBe(["ANTHROPIC_API_KEY", "OPENAI_API_KEY"]);
        (await keys.ReadAsync("alice", CancellationToken.None))["ANTHROPIC_API_KEY"].ShouldBe(Value);
        (await keys.ReadAsync("bob", CancellationToken.None)).ShouldBe(new Dictionary<string, string> { ["OPENAI_API_KEY"] = "bob-value" });

        await keys.ApplyAsync("alice", Changes(("OPENAI_API_KEY", ""), ("ANTHROPIC_API_KEY", "replaced")), CancellationToken.None);
        (await keys.ReadAsync("alice", CancellationToken.None)).ShouldBe(new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "replaced" });
        (await keys.DeleteAsync("alice", "ANTHROPIC_API_KEY", CancellationToken.None)).ShouldBeTrue();
        (await keys.DeleteAsync("alice", "ANTHROPIC_API_KEY", CancellationToken.None)).ShouldBeFalse();
        (await keys.NamesAsync("alice", CancellationToken.None)).ShouldBeEmpty();
        (await keys.NamesAsync("bob", CancellationToken.None)).ShouldBe(["OPENAI_API_KEY"]);
    }

    [Fact]
    public async Task Apply_WithOneOversizedValue_RefusesAndChangesNothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var keys = db.Get<ApiKeyStore>();
        await keys.ApplyAsync("alice", Changes(("OPENAI_API_KEY", "kept")), CancellationToken.None);

        var tooLong = new string('x', ApiKeyStore.MaxValueLength + 1);
        await Should.ThrowAsync<ArgumentException>(() =>
            keys.ApplyAsync("alice", Changes(("OPENAI_API_KEY", "changed"), ("ANTHROPIC_API_KEY", tooLong)), CancellationToken.None));

        (await keys.ReadAsync("alice", CancellationToken.None)).ShouldBe(new Dictionary<string, string> { ["OPENAI_API_KEY"] = "kept" });
    }

    [Fact]
    public async Task SealedRow_IsNotPlaintextInTheDatabaseFile_AndDoesNotOpenUnderAnotherOwner()
    {
        await using var db = await TestDatabase.CreateAsync();
        var keys = db.Get<ApiKeyStore>();
        await keys.ApplyAsync("alice", Changes(("ANTHROPIC_API_KEY", Value)), CancellationToken.None);

        // A row copied to another owner (someone with write access to the file) must not open as theirs.
        await using (var context = await db.Contexts.CreateDbContextAsync())
        {
            await context.Database.ExecuteSqlRawAsync("INSERT INTO api_keys (Owner, Name, KeyId, Sealed, UpdatedAt) SELECT 'mallory', Name, KeyId, Sealed, UpdatedAt FROM api_keys");
        }

        (await keys.ReadAsync("mallory", CancellationToken.None)).ShouldBeEmpty();
        foreach (var (file, text) in await db.FileTextsAsync())
        {
            text.ShouldNotContain(Value, customMessage: file);
        }
    }

    private static Dictionary<string, string?> Changes(params (string Name, string? Value)[] changes) =>
        changes.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
}
