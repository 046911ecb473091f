using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Events;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Endpoints;

/// <summary>Upload and download through the app on real Docker: content, ownership, the round trip and every refusal.</summary>
public sealed class WorkspaceTransferTests(WorkspaceSandbox sandbox) : IClassFixture<WorkspaceSandbox>, IAsyncLifetime
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Each test's sandboxes go with it (the app's session limit stays far away).</summary>
    public Task DisposeAsync() => sandbox.App?.EndAllSessionsAsync() ?? Task.CompletedTask;

    [DockerFact]
    public async Task Upload_FilesNestedDirAndExecutable_ExtractedIntoWorkspaceOwnedByDev()
    {
        var session = await sandbox.CreateSessionAsync();
        var before = session.LastActivity;
        var archive = new Tarball()
            .File("hello.txt", "hello world\n")
            .Directory("src").Directory("src/app").File("src/app/main.py", "print('hi')\n")
            .File("run.sh", "#!/bin/sh\necho ran-ok\n", Executable)
            .ToArray();

        using var response = await sandbox.UploadAsync(session.Id, archive);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"ok":true}""");
        (await sandbox.ShAsync(session, "cat ~/workspace/hello.txt")).ShouldBe("hello world");
        (await sandbox.ShAsync(session, "cat ~/workspace/src/app/main.py")).ShouldBe("print('hi')");
        (await sandbox.ShAsync(session, "~/workspace/run.sh")).ShouldBe("ran-ok");
        (await sandbox.ShAsync(session, "cd ~/workspace && stat -c '%n %U %G %a' hello.txt src src/app/main.py run.sh")).ShouldBe(
            "hello.txt dev dev 644\nsrc dev dev 755\nsrc/app/main.py dev dev 644\nrun.sh dev dev 755");
        session.LastActivity.ShouldBeGreaterThan(before);
        var uploaded = (await sandbox.App.Services.GetRequiredService<EventLog>().RecentAsync(50, session.Id))
            .Where(e => e.Name == "workspace.uploaded").ShouldHaveSingleItem();
        uploaded.Fields.ShouldContain("\"entries\":5");
        uploaded.Fields.ShouldNotContain("hello.txt");
    }

    [DockerFact]
    public async Task Download_Workspace_IsGzipAttachmentWithContentAndModes()
    {
        var session = await sandbox.CreateSessionAsync();
        await sandbox.ShAsync(session, "mkdir -p ~/workspace/lib && printf 'alpha\\n' > ~/workspace/a.txt && printf 'beta' > ~/workspace/lib/b.txt && printf '#!/bin/sh\\n' > ~/workspace/x.sh && chmod 755 ~/workspace/x.sh");

        using var response = await sandbox.Client.GetAsync($"/api/sessions/{session.Id}/download", HttpCompletionOption.ResponseHeadersRead);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/gzip");
        response.Content.Headers.ContentDisposition?.ToString().ShouldBe("attachment; filename=remolt-workspace.tar.gz");
        var entries = Tarball.Read(await response.Content.ReadAsByteArrayAsync());
        entries.Single(e => e.Name == "workspace/a.txt").Text.ShouldBe("alpha\n");
        entries.Single(e => e.Name == "workspace/lib/b.txt").Text.ShouldBe("beta");
        entries.Single(e => e.Name == "workspace/x.sh").Mode.ShouldBe(Executable);
        entries.ShouldNotContain(e => !e.Name.StartsWith("workspace/", StringComparison.Ordinal));

        // The UI's link asks for the original frontend's timestamped name (a plain link is named by this header).
        using var stamped = await sandbox.Client.GetAsync($"/api/sessions/{session.Id}/download?stamped=true");
        stamped.Content.Headers.ContentDisposition?.FileName.ShouldNotBeNull().ShouldMatch(@"^remolt-workspace-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.tar\.gz$");
    }

    [DockerFact]
    public async Task RoundTrip_DownloadThenUploadIntoSecondSession_SameTreeSamePlaces()
    {
        var first = await sandbox.CreateSessionAsync();
        var second = await sandbox.CreateSessionAsync();
        await sandbox.ShAsync(first, "mkdir -p ~/workspace/proj/src ~/.openclaw/logs && head -c 300000 /dev/urandom > ~/workspace/proj/blob.bin"
            + " && printf 'x = 1\\n' > ~/workspace/proj/src/x.py && ln -s src/x.py ~/workspace/proj/link.py && printf '{}' > ~/.openclaw/openclaw.json");
        var blobHash = await sandbox.ShAsync(first, "sha256sum < ~/workspace/proj/blob.bin");

        var archive = await sandbox.DownloadAsync(first.Id);
        using var response = await sandbox.UploadAsync(second.Id, archive);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await sandbox.ShAsync(second, "sha256sum < ~/workspace/proj/blob.bin")).ShouldBe(blobHash);
        (await sandbox.ShAsync(second, "cat ~/workspace/proj/link.py && readlink ~/workspace/proj/link.py")).ShouldBe("x = 1\nsrc/x.py");
        (await sandbox.ShAsync(second, "cat ~/.openclaw/openclaw.json")).ShouldBe("{}");
        (await sandbox.ShAsync(second, "ls ~/workspace")).ShouldBe("proj"); // not ~/workspace/workspace
        (await sandbox.ShAsync(second, "find ~/workspace ~/.openclaw -not -user dev | wc -l")).ShouldBe("0");
    }

    public static TheoryData<string, string> MaliciousArchives() => new()
    {
        { "absolute", "'/tmp/evil'" },
        { "dotdot", "'../evil'" },
        { "nested-dotdot", "'a/../../evil'" },
        { "symlink-etc", "'passwd'" },
        { "symlink-up", "'a'" },
        { "hardlink-out", "'hl'" },
        { "through-symlink", "'s/evil'" },
        { "device", "'null'" },
        { "home-dotfile", "'workspace/rc'" },
    };

    [DockerTheory]
    [MemberData(nameof(MaliciousArchives))]
    public async Task Upload_MaliciousArchive_400NamingEntryAndNothingExtracted(string kind, string entry)
    {
        var session = await sandbox.CreateSessionAsync();
        var before = await sandbox.ListFilesAsync(session);

        using var response = await sandbox.UploadAsync(session.Id, Malicious(kind));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await WorkspaceSandbox.DetailAsync(response)).ShouldContain(entry);
        (await sandbox.ListFilesAsync(session)).ShouldBe(before);
    }

    [DockerFact]
    public async Task Upload_SecondWritesThroughLinkTheFirstLeft_400NamingTheLinkAndHomeUntouched()
    {
        var session = await sandbox.CreateSessionAsync();
        var home = await sandbox.ShAsync(session, "find /home/dev -not -path '/home/dev/workspace*' | sort");
        // A link to '..' one folder down stays inside ~/workspace: the archive alone is fine.
        using var first = await sandbox.UploadAsync(session.Id, new Tarball().Directory("a").Symlink("a/up", "..").ToArray());
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());

        // Seen alone, 'a/up/esc -> ..' is a/esc's parent; on disk a/up is ~/workspace, so it would be a link to /home/dev
        // that a third upload ('esc/...') writes through.
        using var second = await sandbox.UploadAsync(session.Id, new Tarball().Symlink("a/up/esc", "..").ToArray());
        using var third = await sandbox.UploadAsync(session.Id, new Tarball().File("esc/pwned.txt", "x").ToArray());

        second.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await WorkspaceSandbox.DetailAsync(second)).ShouldContain("'a/up', which is a symbolic link");
        third.StatusCode.ShouldBe(HttpStatusCode.OK, await third.Content.ReadAsStringAsync());
        (await sandbox.ShAsync(session, "find /home/dev -not -path '/home/dev/workspace*' | sort")).ShouldBe(home);
        (await sandbox.ShAsync(session, "test -d ~/workspace/esc && ! test -L ~/workspace/esc && cat ~/workspace/esc/pwned.txt")).ShouldBe("x");
        (await sandbox.App.Services.GetRequiredService<EventLog>().RecentAsync(50, session.Id))
            .ShouldContain(e => e.Name == "workspace.upload_rejected" && e.Fields.Contains("link_on_disk"));
    }

    [DockerFact]
    public async Task Upload_NotGzip_400AndNothingExtracted()
    {
        var session = await sandbox.CreateSessionAsync();
        var before = await sandbox.ListFilesAsync(session);

        using var response = await sandbox.UploadAsync(session.Id, "PK\u0003\u0004 a zip file, not a tarball at all"u8.ToArray());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await WorkspaceSandbox.DetailAsync(response)).ShouldContain("Not a gzip file");
        (await sandbox.ListFilesAsync(session)).ShouldBe(before);
    }

    [DockerFact]
    public async Task Upload_LargerThanLimit_413AndNothingExtracted()
    {
        var session = await sandbox.CreateSessionAsync();
        var before = await sandbox.ListFilesAsync(session);
        var big = new Tarball().File("canary.txt", "x").File("random.bin", RandomNumberGenerator.GetBytes((int)WorkspaceSandbox.MaxUploadBytes + 1000)).ToArray();

        using var response = await sandbox.UploadAsync(session.Id, big);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await WorkspaceSandbox.DetailAsync(response)).ShouldContain("REMOLT_MAX_UPLOAD_BYTES");
        (await sandbox.ListFilesAsync(session)).ShouldBe(before);
    }

    [DockerFact]
    public async Task Upload_ChunkedBodyPastLimit_413AndNothingExtracted()
    {
        var session = await sandbox.CreateSessionAsync();
        var before = await sandbox.ListFilesAsync(session);
        var big = new Tarball().File("canary.txt", "x").File("random.bin", RandomNumberGenerator.GetBytes((int)WorkspaceSandbox.MaxUploadBytes + 1000)).ToArray();
        var content = new StreamContent(new MemoryStream(big)); // no Content-Length: sent chunked, counted as it comes
        content.Headers.ContentType = new("application/gzip");

        HttpStatusCode? status = null;
        try
        {
            using var response = await sandbox.Client.PostAsync($"/api/sessions/{session.Id}/upload", content);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the client is still sending; the state below is what counts.
        }

        status?.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await sandbox.ListFilesAsync(session)).ShouldBe(before);
    }

    [DockerFact]
    public async Task Upload_SecondWhileFirstStillArriving_429AndTheFirstStillLands()
    {
        var session = await sandbox.CreateSessionAsync();
        var first = new Tarball().File("first.txt", "one\n").ToArray();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowBody = new HeldContent(first, first.Length / 2, release.Task);
        slowBody.Headers.ContentType = new("application/gzip");
        var slots = sandbox.App.Services.GetRequiredService<RemoltBlazor.Sandboxes.Workspace.WorkspaceUploadSlots>();
        var firstUpload = sandbox.Client.PostAsync($"/api/sessions/{session.Id}/upload", slowBody);
        var deadline = DateTime.UtcNow + WorkspaceSandbox.Timeout;
        while (slots.InProgress == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        using (var second = await sandbox.UploadAsync(session.Id, new Tarball().File("second.txt", "two\n").ToArray()))
        {
            second.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            (await second.Content.ReadAsStringAsync()).ShouldContain("already in progress");
        }

        release.SetResult();
        using (var response = await firstUpload.WaitAsync(WorkspaceSandbox.Timeout))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        (await sandbox.ShAsync(session, "cat ~/workspace/first.txt; test -e ~/workspace/second.txt && echo second || echo no-second")).ShouldBe("one\nno-second");
        using var third = await sandbox.UploadAsync(session.Id, new Tarball().File("third.txt", "three\n").ToArray());
        third.StatusCode.ShouldBe(HttpStatusCode.OK, "the slot is free again");
    }

    /// <summary>A chunked request body that sends (and flushes) <c>held</c> bytes, then waits for <c>release</c> before the rest.</summary>
    private sealed class HeldContent(byte[] data, int held, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(data.AsMemory(0, held));
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(data.AsMemory(held));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [DockerFact]
    public async Task Upload_WrongContentType_415()
    {
        var session = await sandbox.CreateSessionAsync();

        using var form = await sandbox.UploadAsync(session.Id, new Tarball().File("a", "b").ToArray(), "text/plain");

        form.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await WorkspaceSandbox.DetailAsync(form)).ShouldContain("application/gzip");
        using var ok = await sandbox.UploadAsync(session.Id, new Tarball().File("a", "b").ToArray(), "application/x-gzip");
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [DockerFact]
    public async Task Upload_ForeignOrigin_403()
    {
        var session = await sandbox.CreateSessionAsync();

        using var evil = await sandbox.UploadAsync(session.Id, new Tarball().File("a", "b").ToArray(), origin: "https://evil.example");
        using var allowed = await sandbox.UploadAsync(session.Id, new Tarball().File("a", "b").ToArray(), origin: "https://allowed.example");

        evil.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await WorkspaceSandbox.DetailAsync(evil)).ShouldBe("Invalid origin");
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [DockerFact]
    public async Task Transfer_UnknownSessionAndForeignOwner_Both404()
    {
        var foreign = await sandbox.CreateSessionAsync(owner: "mallory");
        var archive = new Tarball().File("a", "b").ToArray();

        using var unknownDown = await sandbox.Client.GetAsync("/api/sessions/0123456789abcdefghijklmnopqrstuv/download");
        using var unknownUp = await sandbox.UploadAsync("0123456789abcdefghijklmnopqrstuv", archive);
        using var foreignDown = await sandbox.Client.GetAsync($"/api/sessions/{foreign.Id}/download");
        using var foreignUp = await sandbox.UploadAsync(foreign.Id, archive);

        unknownDown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await WorkspaceSandbox.DetailAsync(unknownDown)).ShouldBe("Session not found");
        unknownUp.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        foreignDown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await WorkspaceSandbox.DetailAsync(foreignDown)).ShouldBe("Session not found");
        foreignUp.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await WorkspaceSandbox.DetailAsync(foreignUp)).ShouldBe("Session not found");
        (await sandbox.ShAsync(foreign, "ls -A ~/workspace | wc -l")).ShouldBe("0");
    }

    [DockerFact]
    public async Task Transfer_SandboxStopped_400NotRunning()
    {
        var session = await sandbox.CreateSessionAsync();
        await DockerCli.RunAsync($"stop -t 1 {session.SandboxId}");

        using var download = await sandbox.Client.GetAsync($"/api/sessions/{session.Id}/download");
        using var upload = await sandbox.UploadAsync(session.Id, new Tarball().File("a", "b").ToArray());

        download.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await WorkspaceSandbox.DetailAsync(download)).ShouldBe("Session is not running");
        upload.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await WorkspaceSandbox.DetailAsync(upload)).ShouldBe("Session is not running");
    }

    [DockerFact]
    public async Task Upload_TargetReadOnly_500WithTarErrorNotOk()
    {
        var session = await sandbox.CreateSessionAsync();
        await sandbox.ShAsync(session, "chmod 555 ~/workspace");

        using var response = await sandbox.UploadAsync(session.Id, new Tarball().File("a.txt", "a").ToArray());

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var detail = await WorkspaceSandbox.DetailAsync(response);
        detail.ShouldStartWith("Extracting the archive failed (tar exit 2)");
        detail.ShouldContain("Permission denied");
        (await sandbox.App.Services.GetRequiredService<EventLog>().RecentAsync(50, session.Id)).ShouldContain(e => e.Name == "workspace.upload_failed");
    }

    [DockerFact]
    public async Task Download_UnreadableFile_ResponseAbortedNotTruncatedSuccess()
    {
        var session = await sandbox.CreateSessionAsync();
        await sandbox.ShAsync(session, "head -c 400000 /dev/urandom > ~/workspace/big.bin");
        await WorkspaceSandbox.RootAsync(session, "echo secret > /home/dev/workspace/root-only && chmod 600 /home/dev/workspace/root-only");

        using var response = await sandbox.Client.GetAsync($"/api/sessions/{session.Id}/download", HttpCompletionOption.ResponseHeadersRead);

        response.StatusCode.ShouldBe(HttpStatusCode.OK); // the status line went out with the first bytes
        await Should.ThrowAsync<Exception>(() => response.Content.CopyToAsync(Stream.Null).WaitAsync(WorkspaceSandbox.Timeout));
        (await sandbox.App.Services.GetRequiredService<EventLog>().RecentAsync(50, session.Id)).ShouldContain(e => e.Name == "workspace.download_failed");
    }

    [DockerFact]
    public async Task Download_NoWorkspaceFolder_500WithDetailBeforeAnyBody()
    {
        var session = await sandbox.CreateSessionAsync();
        // The entrypoint's session init (mkdir -p ~/workspace) may still be running: wait until it has handed over
        // to its final `sleep infinity`, or it recreates the folder after the delete.
        await sandbox.ShAsync(session, "for i in $(seq 200); do pgrep -f '^sleep infinity$' >/dev/null && break; sleep 0.05; done; rm -rf ~/workspace");

        using var response = await sandbox.Client.GetAsync($"/api/sessions/{session.Id}/download");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        // Reported before any body, not streamed as an "archive" of nothing.
        (await WorkspaceSandbox.DetailAsync(response)).ShouldBe("Packing the workspace failed (tar exit 3): The sandbox has no ~/workspace folder.");
    }

    private static byte[] Malicious(string kind)
    {
        // Each starts with a harmless file, so "nothing extracted" also means the good part was not extracted.
        var tar = new Tarball().File("canary.txt", "should not appear");
        return (kind switch
        {
            "absolute" => tar.File("/tmp/evil", "x"),
            "dotdot" => tar.File("../evil", "x"),
            "nested-dotdot" => tar.Directory("a").File("a/../../evil", "x"),
            "symlink-etc" => tar.Symlink("passwd", "/etc/passwd"),
            "symlink-up" => tar.Symlink("a", "../../.."),
            "hardlink-out" => tar.HardLink("hl", "../../etc/passwd"),
            "through-symlink" => tar.Directory("d").Symlink("s", "d").File("s/evil", "x"),
            "device" => tar.CharacterDevice("null"),
            "home-dotfile" => new Tarball().Directory("workspace").File("workspace/ok", "x").Symlink("workspace/rc", "../.bashrc"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        }).ToArray();
    }
}
