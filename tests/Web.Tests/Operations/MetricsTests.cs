using System.Net;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Keys;
using RemoltBlazor.Web.Tests.Realtime;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Operations;

/// <summary><c>/metrics</c>: what a real session and terminal record, and who may read it.</summary>
public sealed class MetricsTests
{
    [DockerFact]
    public async Task Metrics_SessionCreatedAndTerminalUsed_CountsSessionCreateAttachAndBytes()
    {
        await SandboxImage.EnsureBuiltAsync();
        await using var app = new RemoltAppFactory();
        using var client = Client(app);
        var id = await CreateAsync(client, "claude-code");

        const string Command = "echo metrics-$((6*7))\r";
        await using (var terminal = await TerminalSocketClient.ConnectAsync(app.BaseAddress, $"/ws/terminal/{id}"))
        {
            await terminal.WaitForAsync("$ ");
            await terminal.SendKeysAsync(Command);
            await terminal.WaitForAsync("metrics-42");
        }

        var scrape = await ScrapeAsync(client);
        scrape.Value("remolt_sessions", ("state", "running"), ("agent", "claude-code")).ShouldBe(1);
        scrape.Value("remolt_sessions", ("state", "running"), ("agent", "codex")).ShouldBe(0);
        scrape.Value("remolt_session_creates_total", ("agent", "claude-code"), ("result", "ok")).ShouldBe(1);
        scrape.Value("remolt_session_create_duration_seconds_count", ("agent", "claude-code"), ("result", "ok")).ShouldBe(1);
        scrape.Value("remolt_session_create_duration_seconds_sum", ("agent", "claude-code"), ("result", "ok")).ShouldBeGreaterThan(0);
        scrape.Value("remolt_terminal_attaches_total", ("transport", "websocket")).ShouldBe(1);
        scrape.Value("remolt_terminal_bytes_total", ("direction", "in")).ShouldBe(Command.Length);
        scrape.Value("remolt_terminal_bytes_total", ("direction", "out")).ShouldBeGreaterThan("metrics-42".Length);

        (await client.DeleteAsync($"/api/sessions/{id}").WaitAsync(ApiTimeout)).EnsureSuccessStatusCode();
        (await ScrapeAsync(client)).Value("remolt_sessions", ("state", "running"), ("agent", "claude-code")).ShouldBe(0);
    }

    [Fact]
    public async Task Metrics_NonAdmin_GetsNotFoundAndAdminGetsTheScrape()
    {
        await using var app = new RemoltAppFactory(runtime: new FakeSandboxRuntime(), testUsers: true);

        using var user = await app.SendAsAsync("alice", HttpMethod.Get, "/metrics");
        await ShouldBeErrorAsync(user, HttpStatusCode.NotFound, "Not Found");
        using var nobody = await app.SendAsAsync(null, HttpMethod.Get, "/metrics");
        nobody.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var admin = await app.SendAsAsync("root", HttpMethod.Get, "/metrics", admin: true);
        admin.StatusCode.ShouldBe(HttpStatusCode.OK);
        admin.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        new PrometheusText(await admin.Content.ReadAsStringAsync()).Has("remolt_sessions").ShouldBeTrue();
    }

    [Fact]
    public async Task Metrics_Public_AnyoneGetsTheScrape()
    {
        await using var app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_METRICS_PUBLIC"] = "true" }, new FakeSandboxRuntime(), testUsers: true);

        using var user = await app.SendAsAsync("alice", HttpMethod.Get, "/metrics");
        user.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var nobody = await app.SendAsAsync(null, HttpMethod.Get, "/metrics");
        nobody.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metrics_AccessTokens_AdminsTokenReadsAndOthersGetNotFound()
    {
        // Sign-in off: the local user is the admin, so its token is an admin's; bob is nobody's admin.
        await using var app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_ADMINS"] = "carol" }, new FakeSandboxRuntime());
        var (local, _) = await TokenClients.AsUserAsync(app, "anonymous");
        var (bob, _) = await TokenClients.AsUserAsync(app, "bob");
        var (carol, _) = await TokenClients.AsUserAsync(app, "carol");

        (await local.GetAsync("/metrics").WaitAsync(ApiTimeout)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await carol.GetAsync("/metrics").WaitAsync(ApiTimeout)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bob.GetAsync("/metrics").WaitAsync(ApiTimeout)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.GetAsync("/api/admin/sessions").WaitAsync(ApiTimeout)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await carol.GetAsync("/api/admin/sessions").WaitAsync(ApiTimeout)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metrics_ProxyRequestForUnknownSession_CountedByKindAndStatus()
    {
        await using var app = App(out _);
        using var client = Client(app);

        (await client.GetAsync("/vscode/nope/").WaitAsync(ApiTimeout)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/proxy/nope/port/3000/").WaitAsync(ApiTimeout)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var scrape = await ScrapeAsync(client);
        scrape.Value("remolt_proxy_requests_total", ("kind", "vscode"), ("status", "404")).ShouldBe(1);
        scrape.Value("remolt_proxy_requests_total", ("kind", "port"), ("status", "404")).ShouldBe(1);
    }

    private static async Task<PrometheusText> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics").WaitAsync(ApiTimeout);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return new PrometheusText(text);
    }
}
