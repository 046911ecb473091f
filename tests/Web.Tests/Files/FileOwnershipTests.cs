using System.Net;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Proxy;
using static RemoltBlazor.Web.Tests.Files.FilesApp;

namespace RemoltBlazor.Web.Tests.Files;

/// <summary>Bob on alice's files gets exactly what an unknown id gets, on every route and on the socket.</summary>
public sealed class FileOwnershipTests(FilesApp files) : IClassFixture<FilesApp>
{
    [DockerTheory]
    [InlineData("GET", "/api/sessions/{0}/files?path=/", null)]
    [InlineData("GET", "/api/sessions/{0}/files/secret.txt", null)]
    [InlineData("GET", "/api/sessions/{0}/files/secret.txt?raw=1", null)]
    [InlineData("PUT", "/api/sessions/{0}/files/secret.txt", """{"content": "bob was here"}""")]
    [InlineData("POST", "/api/sessions/{0}/files/bobs", """{"type": "directory"}""")]
    [InlineData("PATCH", "/api/sessions/{0}/files/secret.txt", """{"path": "stolen.txt"}""")]
    [InlineData("DELETE", "/api/sessions/{0}/files/secret.txt", null)]
    public async Task Http_BobOnAlicesFiles_AnswersLikeAnUnknownId(string method, string template, string? body)
    {
        await files.ShAsync("printf mine > ~/workspace/secret.txt");

        using var theirs = await files.SendAsync(new HttpMethod(method), string.Format(template, files.AlicesSession.Id), body is null ? null : Json(body), login: Bob);
        using var unknown = await files.SendAsync(new HttpMethod(method), string.Format(template, files.UnknownId), body is null ? null : Json(body), login: Bob);

        theirs.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await theirs.Content.ReadAsStringAsync()).ShouldBe("""{"detail":"Session not found"}""");
        (await unknown.Content.ReadAsStringAsync()).ShouldBe(await theirs.Content.ReadAsStringAsync());
        (await files.ShAsync("ls -A ~/workspace | grep -E '^(secret|stolen)\\.txt$|^bobs$'; cat ~/workspace/secret.txt")).ShouldBe("secret.txt\nmine");
        using var own = await files.SendAsync(HttpMethod.Get, $"/api/sessions/{files.BobsSession.Id}/files?path=/", login: Bob);
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [DockerFact]
    public async Task Socket_BobOnAlicesFiles_ClosesLikeAnUnknownId()
    {
        await using var theirs = await ProxySocketClient.ConnectAsync(files.App.BaseAddress, $"/ws/files/{files.AlicesSession.Id}", cookie: Cookie(Bob));
        await using var unknown = await ProxySocketClient.ConnectAsync(files.App.BaseAddress, $"/ws/files/{files.UnknownId}", cookie: Cookie(Bob));

        (await theirs.WaitForCloseAsync()).ShouldBe(4004);
        theirs.CloseDescription.ShouldBe("Session not found");
        (await unknown.WaitForCloseAsync()).ShouldBe(4004);
        unknown.CloseDescription.ShouldBe("Session not found");
    }

    internal static string Cookie(string login) => $"{RemoltBlazor.Web.Tests.Hosting.TestUserAuthentication.UserCookie}={login}";
}
