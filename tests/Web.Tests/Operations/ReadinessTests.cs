using System.Net;
using System.Text.Json;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Operations;

/// <summary><c>/health/ready</c>: 200 when the database and the runtime answer, 503 with each reason when not.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Ready_DatabaseAndRuntimeAnswer_Returns200WithBothChecks()
    {
        await using var app = App(out _);
        using var client = Client(app);

        using var response = await client.GetAsync("/health/ready").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        Names(body).ShouldBe(["status", "checks"]);
        body.GetProperty("status").GetString().ShouldBe("ready");
        var checks = Checks(body);
        checks.Keys.ShouldBe(["database", "runtime"]);
        checks["database"].Ok.ShouldBeTrue();
        checks["database"].Detail.ShouldContain("remolt.db");
        checks["runtime"].Ok.ShouldBeTrue();
        checks["runtime"].Detail.ShouldBe("fake runtime");
    }

    [Fact]
    public async Task Ready_RuntimeUnavailable_Returns503WithTheRuntimesReason()
    {
        await using var app = App(out var runtime);
        runtime.Available = false;
        using var client = Client(app);

        using var response = await client.GetAsync("/health/ready").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var body = await JsonAsync(response);
        body.GetProperty("status").GetString().ShouldBe("unready");
        var checks = Checks(body);
        checks["runtime"].ShouldBe((false, "fake runtime is down"));
        checks["database"].Ok.ShouldBeTrue();

        // Liveness is another question: the process runs.
        using var live = await client.GetAsync("/health").WaitAsync(ApiTimeout);
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_DatabaseFileUnreadable_Returns503NamingTheDatabase()
    {
        await using var app = App(out _);
        using var client = Client(app);
        (await client.GetAsync("/health/ready").WaitAsync(ApiTimeout)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Overwritten in place (the same file the pooled connections hold open), as a disk fault or a stray copy would.
        var database = Path.Combine(app.DataDirectory, "remolt.db");
        await File.WriteAllBytesAsync(database, new byte[64 * 1024]);
        foreach (var side in new[] { database + "-wal", database + "-shm" }.Where(File.Exists))
        {
            await File.WriteAllBytesAsync(side, new byte[4096]);
        }

        using var response = await client.GetAsync("/health/ready").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var checks = Checks(await JsonAsync(response));
        checks["database"].Ok.ShouldBeFalse();
        checks["database"].Detail.ShouldStartWith($"The SQLite database at {database} cannot be read: ");
        checks["runtime"].Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task Ready_ProbeStorm_AsksTheRuntimeOncePerPeriod()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        _ = app.BaseAddress;
        var before = runtime.ProbeCalls;

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/health/ready").WaitAsync(ApiTimeout)));

        answers.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        // One probe for the storm (a second at most, should it straddle the 2 s period on a slow machine).
        (runtime.ProbeCalls - before).ShouldBeInRange(1, 2);
    }

    private static Dictionary<string, (bool Ok, string Detail)> Checks(JsonElement body) =>
        body.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("ok").GetBoolean(), c.GetProperty("detail").GetString()!));
}
