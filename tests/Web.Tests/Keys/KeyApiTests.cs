using System.Net;
using System.Text.Json;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;
using static RemoltBlazor.Web.Tests.Keys.TokenClients;

namespace RemoltBlazor.Web.Tests.Keys;

/// <summary>GET/PUT/DELETE /api/keys with the original's shapes, stored per user and sealed (fake runtime).</summary>
public sealed class KeyApiTests
{
    private const string Anthropic = "sk-ant-roundtrip-5b7e0c9a41";
    private const string OpenAi = "sk-openai-roundtrip-d2f86c3e17";

    [Fact]
    public async Task Keys_RoundTripInNoneMode_UnknownNamesIgnored_BlankDeletes_AndSurviveARestart()
    {
        var eventsLog = Path.Combine(Path.GetTempPath(), $"remolt-keys-events-{Guid.NewGuid():N}.jsonl");
        var settings = new Dictionary<string, string?> { ["REMOLT_EVENTS_LOG"] = eventsLog };
        await using var app = App(out _, settings);
        using var client = Client(app);

        (await KeyNamesAsync(await client.GetAsync("/api/keys"))).ShouldBeEmpty();
        using var put = await PutKeysAsync(client, $$$"""{"keys":{"ANTHROPIC_API_KEY":"{{{Anthropic}}}","OPENAI_API_KEY":"{{{OpenAi}}}","NOT_A_KEY":"x"}}""");
        (await JsonAsync(put)).GetRawText().ShouldBe("""{"keys":["ANTHROPIC_API_KEY","OPENAI_API_KEY"]}""");
        (await KeyNamesAsync(await client.GetAsync("/api/keys"))).ShouldBe(["ANTHROPIC_API_KEY", "OPENAI_API_KEY"]);

        (await KeyNamesAsync(await PutKeysAsync(client, """{"keys":{"OPENAI_API_KEY":""}}"""))).ShouldBe(["ANTHROPIC_API_KEY"]);
        (await KeyNamesAsync(await client.DeleteAsync("/api/keys/GEMINI_API_KEY"))).ShouldBe(["ANTHROPIC_API_KEY"]);

        // Nothing anywhere on disk holds the value: not the database (WAL folded in), not the key ring, not the events.
        var stored = await EverythingStoredAsync(app, eventsLog);
        stored.ShouldNotContain(Anthropic);
        stored.ShouldNotContain(OpenAi);
        File.Delete(eventsLog);

        // A second app on the same data folder (a restart) still has them: the original lost them in local mode.
        await using var restarted = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_DATA_DIR"] = app.DataDirectory }, new RemoltBlazor.TestSupport.FakeSandboxRuntime());
        using var again = Client(restarted);
        (await KeyNamesAsync(await again.GetAsync("/api/keys"))).ShouldBe(["ANTHROPIC_API_KEY"]);
    }

    [Fact]
    public async Task Delete_UnknownName_Is400AsTheOriginal()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await client.DeleteAsync("/api/keys/NOT_A_KEY");

        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "Unknown key: NOT_A_KEY");
    }

    [Theory]
    [InlineData(64 * 1024 + 1)]
    [InlineData(1024 * 1024)]
    public async Task Put_OversizedValue_Is400AndChangesNothing(int length)
    {
        await using var app = App(out _);
        using var client = Client(app);
        (await KeyNamesAsync(await PutKeysAsync(client, """{"keys":{"OPENAI_API_KEY":"kept"}}"""))).ShouldBe(["OPENAI_API_KEY"]);

        var body = JsonSerializer.Serialize(new { keys = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "", ["ANTHROPIC_API_KEY"] = new string('k', length) } });
        using var response = await PutKeysAsync(client, body);

        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "The value of ANTHROPIC_API_KEY is longer than 64 KiB");
        (await KeyNamesAsync(await client.GetAsync("/api/keys"))).ShouldBe(["OPENAI_API_KEY"]);
    }

    [Fact]
    public async Task AgentSecretSchemaNames_AreAllowed_NonSecretOnesAreNot()
    {
        await using var app = App(out _);
        using var client = Client(app);

        // OPENROUTER_API_KEY is the original's list; every agent.json secret is allowed too (all four stock agents' are).
        (await KeyNamesAsync(await PutKeysAsync(client, """{"keys":{"OPENROUTER_API_KEY":"o","GEMINI_API_KEY":"g","TERM":"x"}}""")))
            .ShouldBe(["GEMINI_API_KEY", "OPENROUTER_API_KEY"]);
    }

    [Fact]
    public async Task UserB_CannotSeeOrDeleteUserAsKeys()
    {
        await using var app = App(out _);
        var (alice, _) = await AsUserAsync(app, "alice");
        var (bob, _) = await AsUserAsync(app, "bob");
        using var anonymous = Client(app);
        (await KeyNamesAsync(await PutKeysAsync(alice, """{"keys":{"ANTHROPIC_API_KEY":"alice-only"}}"""))).ShouldBe(["ANTHROPIC_API_KEY"]);

        (await KeyNamesAsync(await bob.GetAsync("/api/keys"))).ShouldBeEmpty();
        (await KeyNamesAsync(await anonymous.GetAsync("/api/keys"))).ShouldBeEmpty();
        (await KeyNamesAsync(await bob.DeleteAsync("/api/keys/ANTHROPIC_API_KEY"))).ShouldBeEmpty();
        (await KeyNamesAsync(await PutKeysAsync(bob, """{"keys":{"ANTHROPIC_API_KEY":""}}"""))).ShouldBeEmpty();

        (await KeyNamesAsync(await alice.GetAsync("/api/keys"))).ShouldBe(["ANTHROPIC_API_KEY"]);
        alice.Dispose();
        bob.Dispose();
    }

    [Fact]
    public async Task StoredKeys_ReachANewSessionOverStdin_AndTheRequestsOwnValueWins()
    {
        await using var app = App(out var runtime);
        var (alice, _) = await AsUserAsync(app, "alice");
        await PutKeysAsync(alice, $$$"""{"keys":{"ANTHROPIC_API_KEY":"{{{Anthropic}}}","OPENAI_API_KEY":"{{{OpenAi}}}"}}""");

        // openclaw declares both; the request sends its own Anthropic key, which must win over the stored one.
        using var created = await alice.PostAsync("/api/sessions", new StringContent(
            """{"agent_type":"openclaw","agent_env":{"ANTHROPIC_API_KEY":"from-the-request"}}""", System.Text.Encoding.UTF8, "application/json"));
        created.StatusCode.ShouldBe(HttpStatusCode.OK, await created.Content.ReadAsStringAsync());

        var secretWrite = runtime.Execs.ShouldHaveSingleItem();
        secretWrite.StdinText.ShouldContain($"export OPENAI_API_KEY='{OpenAi}'");
        secretWrite.StdinText.ShouldContain("export ANTHROPIC_API_KEY='from-the-request'");
        secretWrite.StdinText.ShouldNotContain(Anthropic);
        secretWrite.CommandLine.ShouldNotContain(OpenAi);
        runtime.Creates.ShouldHaveSingleItem().Env.Values.ShouldNotContain(OpenAi);

        // claude-code declares only ANTHROPIC_API_KEY: the stored OpenAI key does not reach it. Bob gets nothing of alice's.
        await PutKeysAsync(alice, """{"keys":{"ANTHROPIC_API_KEY":"alice-anthropic"}}""");
        await CreateAsync(alice, "claude-code");
        runtime.Execs[^1].StdinText.ShouldBe("export ANTHROPIC_API_KEY='alice-anthropic'\n");
        var (bob, _) = await AsUserAsync(app, "bob");
        var execsBefore = runtime.Execs.Count;
        await CreateAsync(bob, "claude-code");
        runtime.Execs.Count.ShouldBe(execsBefore);
        alice.Dispose();
        bob.Dispose();
    }
}
