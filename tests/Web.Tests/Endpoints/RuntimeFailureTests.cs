using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Endpoints;

/// <summary>The real app and the real Docker runtime when Docker is not there or the image is missing.</summary>
public sealed class RuntimeFailureTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [DockerFact]
    public async Task PostSessions_DockerSocketMissing_Returns503AndAppStillServes()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"remolt-no-docker-{Guid.NewGuid():N}.sock");
        await using var app = new RemoltAppFactory(new Dictionary<string, string?>
        {
            ["REMOLT_DOCKER_SOCKET"] = socket,
            ["DOCKER_HOST"] = "",
            ["REMOLT_RUNTIME"] = "docker", // the operator's choice; auto would serve local sandboxes here (LocalServerTests)
        });
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = s_timeout };

        using var create = await client.PostAsync("/api/sessions", Json("{}")).WaitAsync(s_timeout);

        create.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var detail = await DetailAsync(create);
        detail.ShouldContain("Docker");
        detail.ShouldContain(socket);
        app.Sessions.LiveCount.ShouldBe(0);

        using var health = await client.GetAsync("/health").WaitAsync(s_timeout);
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await health.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(s_timeout);
        body.GetProperty("status").GetString().ShouldBe("ok");
        body.GetProperty("sessions").GetInt32().ShouldBe(0);
        body.GetProperty("runtime").GetString().ShouldBe("docker");
        body.GetProperty("runtime_available").GetBoolean().ShouldBeFalse();

        using var page = await client.GetAsync("/").WaitAsync(s_timeout);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync().WaitAsync(s_timeout)).ShouldContain("No sandbox runtime is available");

        // The agents do not depend on the runtime.
        using var agents = await client.GetAsync("/api/agents").WaitAsync(s_timeout);
        agents.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [DockerFact]
    public async Task PostSessions_ImageMissing_Returns500NamingImageAndLeavesNothing()
    {
        const string image = "remolt-missing-image";
        (await DockerAsync("image", "ls", "-q", image)).ShouldBeEmpty($"the image {image} must not exist for this test");
        await using var app = new RemoltAppFactory(new Dictionary<string, string?>
        {
            ["REMOLT_SANDBOX_IMAGE"] = image,
            ["REMOLT_CLAUDE_CODE_IMAGE"] = "",
            ["REMOLT_MAX_SESSIONS"] = "1",
        });
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = s_timeout };

        using var create = await client.PostAsync("/api/sessions", Json("{}")).WaitAsync(s_timeout);

        create.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var detail = await DetailAsync(create);
        detail.ShouldContain(image);
        detail.ShouldContain("try again", Case.Insensitive);

        var sessionId = await FailedSessionIdAsync(app);
        (await DockerAsync("ps", "-a", "-q", "--filter", "label=remolt.managed=true", "--filter", $"label=remolt.session-id={sessionId}")).ShouldBeEmpty();
        (await DockerAsync("ps", "-a", "-q", "--filter", $"name=remolt-{sessionId}")).ShouldBeEmpty();
        (await DockerAsync("network", "ls", "-q", "--filter", "label=remolt.managed=true", "--filter", $"label=remolt.session-id={sessionId}")).ShouldBeEmpty();
        (await DockerAsync("network", "ls", "-q", "--filter", $"name=remolt-net-{sessionId}")).ShouldBeEmpty();

        using var health = await client.GetAsync("/health").WaitAsync(s_timeout);
        (await health.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(s_timeout)).GetProperty("sessions").GetInt32().ShouldBe(0);
        (await client.GetStringAsync("/api/sessions").WaitAsync(s_timeout)).ShouldBe("[]");

        // The one slot is free: the next try fails for the same reason, not for the limit.
        using var again = await client.PostAsync("/api/sessions", Json("{}")).WaitAsync(s_timeout);
        again.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await DetailAsync(again)).ShouldContain(image);
    }

    /// <summary>The id of the one session whose create failed, read from the app's database.</summary>
    private static async Task<string> FailedSessionIdAsync(RemoltAppFactory app)
    {
        var contexts = app.Services.GetRequiredService<IDbContextFactory<RemoltDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var failed = await db.Sessions.AsNoTracking().Where(s => s.EndReason == "create_failed").ToListAsync().WaitAsync(s_timeout);
        var row = failed.ShouldHaveSingleItem();
        row.State.ShouldBe(RemoltBlazor.Data.Entities.SessionState.Ended);
        return row.Id;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(s_timeout);
        body.EnumerateObject().Select(p => p.Name).ShouldBe(["detail"]);
        return body.GetProperty("detail").GetString()!;
    }

    private static async Task<string> DockerAsync(params string[] args)
    {
        var (exitCode, stdout, stderr) = await DockerCli.ExecuteAsync(args, s_timeout);
        exitCode.ShouldBe(0, $"docker {string.Join(' ', args)}: {stderr}");
        return stdout.Trim();
    }
}
