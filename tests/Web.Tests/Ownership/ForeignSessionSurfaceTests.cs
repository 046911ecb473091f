using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Proxy;
using static RemoltBlazor.Web.Tests.Ownership.TwoUsersFixture;

namespace RemoltBlazor.Web.Tests.Ownership;

/// <summary>
/// Issue 10 item 7: bob on every surface of alice's real session gets exactly the answer an unknown id gets (status,
/// content type, body; close code and reason for sockets), so an id cannot be probed; alice's own requests work.
/// The routes are those the endpoint classes map (SessionEndpoints, WorkspaceEndpoints, ProxyEndpoints,
/// RootDashboardSocket, TerminalSocketEndpoint, LogsSocketEndpoint); the workspace page is in the browser tests.
/// </summary>
public sealed class ForeignSessionSurfaceTests(TwoUsersFixture users) : IClassFixture<TwoUsersFixture>
{
    [DockerTheory]
    [InlineData("GET", "/api/sessions/{0}")]
    [InlineData("DELETE", "/api/sessions/{0}")]
    [InlineData("GET", "/api/sessions/{0}/download")]
    [InlineData("GET", "/api/sessions/{0}/download?stamped=true")]
    [InlineData("POST", "/api/sessions/{0}/upload")]
    [InlineData("GET", "/proxy/{0}/")]
    [InlineData("GET", "/proxy/{0}")]
    [InlineData("POST", "/proxy/{0}/api/anything")]
    [InlineData("GET", "/vscode/{0}/")]
    [InlineData("GET", "/vscode/{0}")]
    [InlineData("GET", "/proxy/{0}/port/3000/")]
    [InlineData("GET", "/proxy/{0}/port/80/")]
    [InlineData("GET", "/proxy/{0}/port/abc/")]
    public async Task Http_BobOnAlicesSession_AnswersLikeAnUnknownId(string method, string template)
    {
        using var theirs = await SendAsBobAsync(method, string.Format(template, users.AlicesSession.Id));
        using var unknown = await SendAsBobAsync(method, string.Format(template, users.UnknownId));

        theirs.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        theirs.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        unknown.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        (await theirs.Content.ReadAsStringAsync()).ShouldBe(await unknown.Content.ReadAsStringAsync());
        (await theirs.Content.ReadAsStringAsync()).ShouldBe("""{"detail":"Session not found"}""");
        users.AlicesSession.IsRunning.ShouldBeTrue("bob's request must not have touched alice's session");
    }

    [DockerTheory]
    [InlineData("/ws/terminal/{0}")]
    [InlineData("/ws/terminal/{0}?window=1")]
    [InlineData("/ws/logs/{0}")]
    [InlineData("/proxy/{0}/")]
    [InlineData("/proxy/{0}/ws")]
    [InlineData("/vscode/{0}/")]
    [InlineData("/vscode/{0}/ws")]
    [InlineData("/proxy/{0}/port/3000/ws")]
    [InlineData("/proxy/{0}/port/80/ws")]
    public async Task Socket_BobOnAlicesSession_ClosesLikeAnUnknownId(string template)
    {
        var (theirsCode, theirsReason) = await CloseAsBobAsync(string.Format(template, users.AlicesSession.Id));
        var (unknownCode, unknownReason) = await CloseAsBobAsync(string.Format(template, users.UnknownId));

        theirsCode.ShouldBe(4004);
        theirsReason.ShouldBe("Session not found");
        (unknownCode, unknownReason).ShouldBe((theirsCode, theirsReason));
    }

    [DockerFact]
    public async Task RootSocket_BobNamingAlicesDashboard_ClosesLikeAnUnknownId()
    {
        // Bob's own session has no dashboard, so whatever his cookie names, he has no dashboard to reach.
        var theirs = await CloseAsBobAsync("/", $"remolt_dashboard={users.AlicesSession.Id}");
        var unknown = await CloseAsBobAsync("/", $"remolt_dashboard={users.UnknownId}");

        theirs.ShouldBe((4004, "No active dashboard session"));
        unknown.ShouldBe(theirs);
    }

    [DockerFact]
    public async Task Lists_EachUserSeesOnlyTheirOwn()
    {
        (await ListIdsAsync(Alice)).ShouldBe([users.AlicesSession.Id]);
        (await ListIdsAsync(Bob)).ShouldBe([users.BobsSession.Id]);
        using var nobody = await users.SendAsync(login: null, HttpMethod.Get, "/api/sessions");
        nobody.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized); // with sign-in on, nobody lists nothing
    }

    [DockerFact]
    public async Task Alice_ReachesHerOwnSession_OnTheSameRoutes()
    {
        using var get = await users.SendAsync(Alice, HttpMethod.Get, $"/api/sessions/{users.AlicesSession.Id}");
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var redirect = await users.SendAsync(Alice, HttpMethod.Get, $"/vscode/{users.AlicesSession.Id}");
        // Her own VS Code path sends her on to the apps origin through a ticket (sandbox content never runs here).
        redirect.StatusCode.ShouldBe(HttpStatusCode.Found);
        redirect.Headers.Location!.ToString().ShouldContain("/_apps/enter?ticket=");

        await using var terminal = await ProxySocketClient.ConnectAsync(users.App.BaseAddress, $"/ws/terminal/{users.AlicesSession.Id}", cookie: Cookie(Alice));
        var (type, _) = await terminal.ReceiveAsync();
        type.ShouldBe(System.Net.WebSockets.WebSocketMessageType.Binary, $"close {terminal.Socket.CloseStatus} {terminal.CloseDescription}");
    }

    internal static string Cookie(string login) => $"{TestUserAuthentication.UserCookie}={login}";

    private Task<HttpResponseMessage> SendAsBobAsync(string method, string path)
    {
        HttpContent? content = null;
        if (method == "POST")
        {
            content = new ByteArrayContent(new Tarball().File("a.txt", "hello").ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        }

        return users.SendAsync(Bob, new HttpMethod(method), path, content);
    }

    private async Task<(int? Code, string? Reason)> CloseAsBobAsync(string path, string? extraCookie = null)
    {
        var cookie = extraCookie is null ? Cookie(Bob) : $"{Cookie(Bob)}; {extraCookie}";
        await using var socket = await ProxySocketClient.ConnectAsync(users.App.BaseAddress, path, cookie: cookie);
        return (await socket.WaitForCloseAsync(), socket.CloseDescription);
    }

    private async Task<string[]> ListIdsAsync(string? login)
    {
        using var response = await users.SendAsync(login, HttpMethod.Get, "/api/sessions");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var items = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. items.EnumerateArray().Select(i => i.GetProperty("session_id").GetString()!)];
    }
}
