using System.Net.WebSockets;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Proxy;
using static RemoltBlazor.Web.Tests.Files.FilesApp;

namespace RemoltBlazor.Web.Tests.Files;

/// <summary><c>/ws/files/{id}</c>: origin refusal, change notifications as JSON, a clean close when the session ends.</summary>
public sealed class FilesSocketTests(FilesApp files) : IClassFixture<FilesApp>
{
    [DockerFact]
    public async Task Socket_ForeignOrigin_Closes4003()
    {
        await using var socket = await ProxySocketClient.ConnectAsync(
            files.App.BaseAddress, $"/ws/files/{files.AlicesSession.Id}", origin: "https://evil.example", cookie: FileOwnershipTests.Cookie(Alice));

        (await socket.WaitForCloseAsync()).ShouldBe(4003);
        socket.CloseDescription.ShouldBe("Invalid origin");
    }

    [DockerFact]
    public async Task Socket_FileWrittenThroughTheApi_ChangeArrives()
    {
        await files.FolderAsync("wsw");
        await using var socket = await ConnectAsync(files.AlicesSession.Id);
        var messages = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        var reading = ReadAllAsync(socket, messages.Writer);

        var seen = await WriteUntilSeenAsync(files.AlicesSession.Id, "wsw", messages.Reader);

        var message = seen.First(m => Mentions(m, "/wsw/note.md"));
        message.GetProperty("type").GetString().ShouldBe("changes");
        var change = message.GetProperty("changes").EnumerateArray().First(c => c.GetProperty("path").GetString() == "/wsw/note.md");
        change.EnumerateObject().Select(p => p.Name).ShouldBe(["kind", "path", "is_directory", "old_path"]);
        change.GetProperty("is_directory").GetBoolean().ShouldBeFalse();

        await socket.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(FilesApp.Timeout);
        await reading.WaitAsync(FilesApp.Timeout);
    }

    [DockerFact]
    public async Task Socket_SessionEnds_ClosesNormally()
    {
        var session = await files.CreateAsync(Alice);
        await using var socket = await ConnectAsync(session.Id);
        var messages = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        var reading = ReadAllAsync(socket, messages.Writer);
        await WriteUntilSeenAsync(session.Id, "", messages.Reader); // the feed is live

        await files.App.Sessions.EndAsync(session, "user", CancellationToken.None).WaitAsync(FilesApp.Timeout);

        await reading.WaitAsync(FilesApp.Timeout);
        socket.Socket.CloseStatus.ShouldBe(WebSocketCloseStatus.NormalClosure);
        socket.CloseDescription.ShouldBe("Session ended");
    }

    private Task<ProxySocketClient> ConnectAsync(string id) =>
        ProxySocketClient.ConnectAsync(files.App.BaseAddress, $"/ws/files/{id}", origin: AllowedOrigin, cookie: FileOwnershipTests.Cookie(Alice));

    /// <summary>
    /// Writes <c>note.md</c> in <paramref name="folder"/> through the API until its change arrives (inotifywait needs a
    /// moment to set its watches up after the socket opens); what arrived meanwhile.
    /// </summary>
    private async Task<List<JsonElement>> WriteUntilSeenAsync(string id, string folder, System.Threading.Channels.ChannelReader<JsonElement> messages)
    {
        var path = folder.Length == 0 ? "/note.md" : $"/{folder}/note.md";
        var seen = new List<JsonElement>();
        for (var attempt = 0; attempt < 20 && !seen.Any(m => Mentions(m, path)); attempt++)
        {
            using var put = await files.SendAsync(HttpMethod.Put, $"/api/sessions/{id}/files{path}", Json($$"""{"content": "{{attempt}}"}"""));
            put.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            await Task.Delay(700);
            while (messages.TryRead(out var arrived))
            {
                seen.Add(arrived);
            }
        }

        seen.ShouldContain(m => Mentions(m, path));
        return seen;
    }

    private static bool Mentions(JsonElement message, string path) =>
        message.GetProperty("changes").EnumerateArray().Any(c => c.GetProperty("path").GetString() == path);

    /// <summary>Every text message until the socket closes (a cancelled receive would abort the socket).</summary>
    private static async Task ReadAllAsync(ProxySocketClient socket, System.Threading.Channels.ChannelWriter<JsonElement> messages)
    {
        try
        {
            while (true)
            {
                var (type, data) = await socket.ReceiveAsync();
                if (type == WebSocketMessageType.Close)
                {
                    return;
                }

                type.ShouldBe(WebSocketMessageType.Text);
                messages.TryWrite(JsonDocument.Parse(data).RootElement.Clone());
            }
        }
        catch (TimeoutException)
        {
            // Quiet for a while: the test has what it waited for or fails on its own.
        }
        finally
        {
            messages.TryComplete();
        }
    }
}
