using System.Net;
using System.Text;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;
using static RemoltBlazor.Web.Tests.Keys.TokenClients;

namespace RemoltBlazor.Web.Tests.Keys;

/// <summary>/api/tokens and the Bearer scheme on the REST API (fake runtime).</summary>
public sealed class TokenApiTests
{
    private const string InvalidToken = "Invalid or expired access token";

    [Fact]
    public async Task CreateListRevoke_TokenShownOnce_ThenItActsAsItsOwner()
    {
        await using var app = App(out var runtime);
        var (alice, _) = await AsUserAsync(app, "alice");

        using var created = await alice.PostAsync("/api/tokens", Json("""{"name":"ci script","expires_in_days":30}"""));
        created.StatusCode.ShouldBe(HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        var body = await JsonAsync(created);
        Names(body).ShouldBe(["id", "name", "prefix", "created_at", "last_used_at", "expires_at", "token"], ignoreOrder: true);
        var token = body.GetProperty("token").GetString()!;
        token.ShouldStartWith("rmt_");
        body.GetProperty("prefix").GetString().ShouldBe(token[..12]);
        (body.GetProperty("expires_at").GetDouble() - body.GetProperty("created_at").GetDouble()).ShouldBe(30 * 86400, tolerance: 1);

        var listed = await (await alice.GetAsync("/api/tokens")).Content.ReadAsStringAsync();
        listed.ShouldContain("ci script");
        listed.ShouldNotContain(token[12..]);

        using var script = WithBearer(app, token);
        await CreateAsync(script, "claude-code");
        runtime.Creates.ShouldHaveSingleItem().Owner.ShouldBe("alice");
        var used = (await JsonAsync(await alice.GetAsync("/api/tokens"))).EnumerateArray().Single(t => t.GetProperty("name").GetString() == "ci script");
        used.GetProperty("last_used_at").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Number);

        using var revoked = await alice.DeleteAsync($"/api/tokens/{body.GetProperty("id").GetString()}");
        (await JsonAsync(revoked)).GetProperty("status").GetString().ShouldBe("revoked");
        using var afterRevoke = await script.GetAsync("/api/sessions");
        await ShouldBeErrorAsync(afterRevoke, HttpStatusCode.Unauthorized, InvalidToken);
        alice.Dispose();
    }

    [Fact]
    public async Task ForgedRevokedAndExpiredTokens_Are401_AndNothingLeaks()
    {
        await using var app = App(out var runtime);
        var (alice, live) = await AsUserAsync(app, "alice");
        await CreateAsync(alice, "claude-code");
        var (expired, _) = await AsUserAsync(app, "alice", expires: DateTimeOffset.UtcNow.AddMilliseconds(-1));

        string[] forgeries = [live.Token[..12] + new string('A', live.Token.Length - 12), "rmt_" + live.Token[4..^1], live.Token + "x"];
        foreach (var forged in forgeries)
        {
            using var client = WithBearer(app, forged);
            foreach (var path in new[] { "/api/sessions", "/api/keys", "/api/tokens" })
            {
                using var response = await client.GetAsync(path);
                await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, InvalidToken);
                response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer error=\"invalid_token\"");
            }

            // A refused token never falls back to the anonymous user, even where anonymous callers are served.
            using var post = await client.PostAsync("/api/sessions", Json("{}"));
            post.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await post.Content.ReadAsStringAsync()).ShouldNotContain(forged);
        }

        using var expiredResponse = await expired.GetAsync("/api/sessions");
        await ShouldBeErrorAsync(expiredResponse, HttpStatusCode.Unauthorized, InvalidToken);
        runtime.Creates.Count.ShouldBe(1);
        alice.Dispose();
        expired.Dispose();
    }

    [Fact]
    public async Task UserB_CannotSeeRevokeOrUseUserAsTokensAndSessions()
    {
        await using var app = App(out _);
        var (alice, aliceToken) = await AsUserAsync(app, "alice");
        var (bob, _) = await AsUserAsync(app, "bob");
        var sessionId = await CreateAsync(alice, "claude-code");

        (await (await bob.GetAsync("/api/tokens")).Content.ReadAsStringAsync()).ShouldNotContain("alice");
        using var revoke = await bob.DeleteAsync($"/api/tokens/{aliceToken.Record.Id}");
        await ShouldBeErrorAsync(revoke, HttpStatusCode.NotFound, "Token not found");
        (await (await bob.GetAsync("/api/sessions")).Content.ReadAsStringAsync()).ShouldBe("[]");
        using var peek = await bob.GetAsync($"/api/sessions/{sessionId}");
        peek.IsSuccessStatusCode.ShouldBeFalse();

        (await (await alice.GetAsync("/api/sessions")).Content.ReadAsStringAsync()).ShouldContain(sessionId);
        alice.Dispose();
        bob.Dispose();
    }

    [Fact]
    public async Task Create_WithoutAName_Is400()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await client.PostAsync("/api/tokens", Json("""{"name":"  "}"""));

        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "A token needs a name of 1 to 100 characters");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
