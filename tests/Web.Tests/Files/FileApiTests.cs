using System.Net;
using System.Text;
using RemoltBlazor.TestSupport;
using static RemoltBlazor.Web.Tests.Files.FilesApp;

namespace RemoltBlazor.Web.Tests.Files;

/// <summary>The file routes through the real app on real Docker: shapes, statuses, downloads that never render.</summary>
public sealed class FileApiTests(FilesApp files) : IClassFixture<FilesApp>
{
    private string Base => $"/api/sessions/{files.AlicesSession.Id}/files";

    [DockerFact]
    public async Task List_Folder_SnakeCaseEntriesFoldersFirst()
    {
        await files.FolderAsync("ls");
        await files.ShAsync("cd ~/workspace/ls && mkdir src && printf 1234 > b.txt && ln -s b.txt l && touch -d @1700000000.25 b.txt");

        using var response = await files.SendAsync(HttpMethod.Get, $"{Base}?path=/ls");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var entries = (await JsonOf(response)).EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("name").GetString()).ShouldBe(["src", "b.txt", "l"]);
        entries.Select(e => e.GetProperty("type").GetString()).ShouldBe(["directory", "file", "symlink"]);
        entries[1].EnumerateObject().Select(p => p.Name).ShouldBe(["name", "type", "size", "modified"]);
        entries[1].GetProperty("size").GetInt64().ShouldBe(4);
        entries[1].GetProperty("modified").GetDouble().ShouldBe(1700000000.25);
        using var root = await files.SendAsync(HttpMethod.Get, Base);
        (await JsonOf(root)).EnumerateArray().ShouldContain(e => e.GetProperty("name").GetString() == "ls");
    }

    [DockerFact]
    public async Task PutThenGet_Text_RoundTripWithVersionAndConflict()
    {
        await files.FolderAsync("put");

        using var put = await files.SendAsync(HttpMethod.Put, $"{Base}/put/a%20b/c.py", Json("""{"content": "print('é')\n"}"""));

        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var written = await JsonOf(put);
        written.EnumerateObject().Select(p => p.Name).ShouldBe(["path", "size", "modified", "version"]);
        written.GetProperty("path").GetString().ShouldBe("/put/a b/c.py");
        (await files.ShAsync("cat ~/workspace/put/'a b'/c.py")).ShouldBe("print('é')");

        using var get = await files.SendAsync(HttpMethod.Get, $"{Base}/put/a%20b/c.py");
        var read = await JsonOf(get);
        read.EnumerateObject().Select(p => p.Name).ShouldBe(["path", "content", "size", "modified", "version", "binary", "too_large"]);
        read.GetProperty("content").GetString().ShouldBe("print('é')\n");
        read.GetProperty("binary").GetBoolean().ShouldBeFalse();
        var version = read.GetProperty("version").GetString()!;
        version.ShouldBe(written.GetProperty("version").GetString());

        await files.ShAsync("printf changed > ~/workspace/put/'a b'/c.py");
        using var stale = await files.SendAsync(HttpMethod.Put, $"{Base}/put/a%20b/c.py", Json($$"""{"content": "mine", "version": "{{version}}"}"""));
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DetailAsync(stale)).ShouldBe("/put/a b/c.py changed since it was read.");
        (await files.ShAsync("cat ~/workspace/put/'a b'/c.py")).ShouldBe("changed");

        using var missing = await files.SendAsync(HttpMethod.Get, $"{Base}/put/nothing.txt");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await DetailAsync(missing)).ShouldBe("/put/nothing.txt does not exist.");
    }

    [DockerFact]
    public async Task Get_BinaryAndTooLarge_FlagsWithoutContent_PutTooLarge413()
    {
        await files.FolderAsync("big");
        await files.ShAsync($"cd ~/workspace/big && printf '\\0\\1\\2' > b.bin && head -c {MaxTextBytes + 1} /dev/zero | tr '\\0' x > big.txt");

        var binary = await JsonOf(await files.SendAsync(HttpMethod.Get, $"{Base}/big/b.bin"));
        binary.GetProperty("binary").GetBoolean().ShouldBeTrue();
        binary.GetProperty("content").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var large = await JsonOf(await files.SendAsync(HttpMethod.Get, $"{Base}/big/big.txt"));
        large.GetProperty("too_large").GetBoolean().ShouldBeTrue();
        large.GetProperty("content").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        large.GetProperty("size").GetInt64().ShouldBe(MaxTextBytes + 1);

        using var tooLarge = await files.SendAsync(HttpMethod.Put, $"{Base}/big/new.txt", Json($$"""{"content": "{{new string('y', (int)MaxTextBytes + 1)}}"}"""));
        tooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await DetailAsync(tooLarge)).ShouldContain("REMOLT_FILES_MAX_TEXT_BYTES");

        using var bigUpload = await files.SendAsync(HttpMethod.Put, $"{Base}/big/up.bin", Bytes(new byte[MaxUploadBytes + 1]));
        bigUpload.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await DetailAsync(bigUpload)).ShouldContain("REMOLT_FILES_MAX_UPLOAD_BYTES");
        var chunked = new StreamContent(new NoLengthStream([1, 2, 3]));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var noLength = await files.SendAsync(HttpMethod.Put, $"{Base}/big/up.bin", chunked);
        noLength.StatusCode.ShouldBe(HttpStatusCode.LengthRequired);
        (await files.ShAsync("ls -A ~/workspace/big")).ShouldBe("b.bin\nbig.txt");
    }

    /// <summary>A body whose length HttpClient cannot know, so it goes chunked (no Content-Length).</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    [DockerFact]
    public async Task UploadThenDownload_HtmlBytes_AttachmentThatNeverRenders()
    {
        await files.FolderAsync("dl");
        var html = Encoding.UTF8.GetBytes("<html><script>fetch('/api/sessions').then(r => r.text()).then(alert)</script></html>");

        using var upload = await files.SendAsync(HttpMethod.Put, $"{Base}/dl/page.html", Bytes(html));
        upload.StatusCode.ShouldBe(HttpStatusCode.OK, await upload.Content.ReadAsStringAsync());
        using var again = await files.SendAsync(HttpMethod.Put, $"{Base}/dl/page.html", Bytes([1, 2, 3]));
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        using var overwrite = await files.SendAsync(HttpMethod.Put, $"{Base}/dl/page.html?overwrite=true", Bytes(html));
        overwrite.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var download = await files.SendAsync(HttpMethod.Get, $"{Base}/dl/page.html?raw=1");

        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        download.Content.Headers.ContentDisposition.FileName.ShouldBe("page.html");
        download.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        download.Headers.GetValues("Content-Security-Policy").ShouldBe(["sandbox"]);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(html);

        using var escaped = await files.SendAsync(HttpMethod.Get, $"{Base}/dl/%2E%2E/%2E%2E/.bashrc?raw=1");
        escaped.StatusCode.ShouldBeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
        (await escaped.Content.ReadAsStringAsync()).ShouldNotContain("bash");
    }

    [DockerFact]
    public async Task CreateMoveDelete_StatusesAndEffects()
    {
        await files.FolderAsync("ops");

        using var folder = await files.SendAsync(HttpMethod.Post, $"{Base}/ops/dir", Json("""{"type": "directory"}"""));
        folder.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await JsonOf(folder)).GetProperty("path").GetString().ShouldBe("/ops/dir");
        using var file = await files.SendAsync(HttpMethod.Post, $"{Base}/ops/dir/empty.txt", Json("""{"type": "file"}"""));
        file.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var exists = await files.SendAsync(HttpMethod.Post, $"{Base}/ops/dir/empty.txt", Json("""{"type": "file"}"""));
        exists.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        using var badType = await files.SendAsync(HttpMethod.Post, $"{Base}/ops/x", Json("""{"type": "pipe"}"""));
        badType.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await files.ShAsync("find ~/workspace/ops | sort")).ShouldBe("/home/dev/workspace/ops\n/home/dev/workspace/ops/dir\n/home/dev/workspace/ops/dir/empty.txt");

        using var moved = await files.SendAsync(HttpMethod.Patch, $"{Base}/ops/dir", Json("""{"path": "/ops/renamed/dir2"}"""));
        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        (await JsonOf(moved)).GetProperty("path").GetString().ShouldBe("/ops/renamed/dir2");
        await files.ShAsync("mkdir ~/workspace/ops/taken");
        using var onto = await files.SendAsync(HttpMethod.Patch, $"{Base}/ops/renamed/dir2", Json("""{"path": "ops/taken"}"""));
        onto.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        using var deleted = await files.SendAsync(HttpMethod.Delete, $"{Base}/ops/renamed");
        deleted.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var root = await files.SendAsync(HttpMethod.Delete, $"{Base}/");
        root.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await files.ShAsync("ls -A ~/workspace/ops")).ShouldBe("taken");
    }

    [DockerFact]
    public async Task LinkOutOfTheWorkspace_ListedButRefused400()
    {
        await files.FolderAsync("lnk");
        await files.ShAsync("ln -s /etc ~/workspace/lnk/etc");

        var entries = await JsonOf(await files.SendAsync(HttpMethod.Get, $"{Base}?path=lnk"));
        entries.EnumerateArray().Single().GetProperty("type").GetString().ShouldBe("symlink");
        using var read = await files.SendAsync(HttpMethod.Get, $"{Base}/lnk/etc/passwd");
        read.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await DetailAsync(read)).ShouldBe("/lnk/etc/passwd leads out of the workspace.");
        using var raw = await files.SendAsync(HttpMethod.Get, $"{Base}/lnk/etc/passwd?raw=1");
        raw.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var list = await files.SendAsync(HttpMethod.Get, $"{Base}?path=/lnk/etc");
        list.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var dotdot = await files.SendAsync(HttpMethod.Get, $"{Base}?path=lnk/../../..");
        dotdot.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await DetailAsync(dotdot)).ShouldContain("'..' is not allowed");
    }

    [DockerTheory]
    [InlineData("PUT", "application/json", """{"content": "x"}""")]
    [InlineData("POST", "application/json", """{"type": "file"}""")]
    [InlineData("PATCH", "application/json", """{"path": "moved"}""")]
    [InlineData("DELETE", null, null)]
    [InlineData("PUT", "application/octet-stream", "raw")]
    public async Task StateChange_CrossSite_Refused403AndNothingChanges(string method, string? mediaType, string? body)
    {
        await files.ShAsync("mkdir -p ~/workspace/xs && printf keep > ~/workspace/xs/target");

        using var response = await files.SendAsync(
            new HttpMethod(method), $"{Base}/xs/target", body is null ? null : Json(body, mediaType!), origin: "https://evil.example");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await files.ShAsync("ls -A ~/workspace/xs; cat ~/workspace/xs/target")).ShouldBe("target\nkeep");
        using var allowed = await files.SendAsync(HttpMethod.Get, $"{Base}/xs/target", origin: AllowedOrigin);
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [DockerTheory]
    [InlineData("PUT", "text/plain")]
    [InlineData("POST", "text/plain")]
    [InlineData("PATCH", "text/plain")]
    [InlineData("PUT", "application/x-www-form-urlencoded")]
    [InlineData("POST", "multipart/form-data")]
    public async Task StateChange_SimpleContentType_Refused415(string method, string mediaType)
    {
        await files.ShAsync("mkdir -p ~/workspace/simple && printf keep > ~/workspace/simple/t");

        using var response = await files.SendAsync(new HttpMethod(method), $"{Base}/simple/t", Json("""{"content": "x", "type": "file", "path": "m"}""", mediaType));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await files.ShAsync("ls -A ~/workspace/simple; cat ~/workspace/simple/t")).ShouldBe("t\nkeep");
        using var empty = await files.SendAsync(HttpMethod.Post, $"{Base}/simple/new");
        empty.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }
}
