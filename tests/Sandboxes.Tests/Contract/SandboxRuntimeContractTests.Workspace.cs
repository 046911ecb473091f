using System.Security.Cryptography;
using System.Text;
using RemoltBlazor.Sandboxes.Tests.Lifecycle;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>The workspace folder: its transfer over the runtime, and commands and terminals not depending on it.</summary>
public abstract partial class SandboxRuntimeContractTests<THost>
{
    /// <summary>
    /// A user (or an agent re-cloning) deletes <c>~/workspace</c>, the image's WORKDIR: terminals and commands must still
    /// start (Docker fails an exec whose working folder is missing), in home until the folder is back. A sandbox of its
    /// own: the shared one keeps its workspace.
    /// </summary>
    [RuntimeContractFact]
    public async Task WorkspaceDeleted_TerminalsAndCommandsStillStart_NewSessionsUseItOnceBack()
    {
        var sessionId = NewSessionId();
        var sandboxId = (await CreateAsync(Spec(sessionId))).SandboxId;
        var removed = await BashAsync(sandboxId, "if mountpoint -q ~/workspace; then rm -rf ~/workspace/..?* ~/workspace/.[!.]* ~/workspace/* && echo emptied; else rm -rf ~/workspace && echo gone; fi");
        if (removed == "emptied\n")
        {
            // A volume (Kubernetes' emptyDir or claim) cannot go, only be emptied: it stays where terminals start.
            await using var inVolume = await AttachAsync(sandboxId, window: 1);
            await inVolume.SendAsync("echo at-$(pwd)-$(ls -A | wc -l)-now\r");
            await inVolume.WaitForAsync("at-/home/dev/workspace-0-now");
            await Runtime.RemoveAsync(sandboxId, CancellationToken.None).WaitAsync(Timeout);
            return;
        }

        removed.ShouldBe("gone\n");

        await using (var terminal = await AttachAsync(sandboxId, window: 1))
        {
            await terminal.SendAsync("echo at-$(pwd)-now\r");
            await terminal.WaitForAsync("at-/home/dev-now");
        }

        await using (var process = await Runtime.StartProcessAsync(sandboxId, ["pwd"], CancellationToken.None).WaitAsync(Timeout))
        {
            Encoding.UTF8.GetString(await ReadAllAsync(process.Output).WaitAsync(Timeout)).ShouldBe("/home/dev\n");
        }

        (await ExecAsync(sandboxId, ["pwd"])).Stdout.ShouldBe("/home/dev\n"u8.ToArray());
        await BashAsync(sandboxId, "mkdir ~/workspace");
        await using (var again = await AttachAsync(sandboxId, window: 2))
        {
            await again.SendAsync("echo at-$(pwd)-now\r");
            await again.WaitForAsync("at-/home/dev/workspace-now");
        }

        await Runtime.RemoveAsync(sandboxId, CancellationToken.None).WaitAsync(Timeout);
    }

    /// <summary>
    /// The app's upload and download (WorkspaceTransfer: tar streamed through StartProcessAsync, validated, extracted
    /// as dev) on the sessions layer wired over this runtime: what goes in comes back out, owned by dev.
    /// </summary>
    [RuntimeContractFact]
    public async Task WorkspaceTransfer_UploadThenDownload_SameTreeOwnedByDev()
    {
        await using var app = await DockerSessionHost.StartAsync(runtime: Runtime);
        var session = await app.CreateAsync("tester");
        var sandboxId = session.SandboxId.ShouldNotBeNull();
        (await ListedAsync(session.Id)).ShouldNotBeNull().SandboxId.ShouldBe(sandboxId); // made by the runtime under test
        var blob = RandomNumberGenerator.GetBytes(3_000_000);
        var archive = new Tarball()
            .File("hello.txt", "hello world\n")
            .Directory("src").File("src/blob.bin", blob)
            .File("run.sh", "#!/bin/sh\necho ran-ok\n", (UnixFileMode)0b111_101_101)
            .ToArray();

        var summary = await app.Workspace.UploadAsync(session, new MemoryStream(archive), archive.Length, CancellationToken.None).WaitAsync(Timeout);

        summary.Entries.ShouldBe(4);
        // Permission bits only: a volume with an fsGroup (Kubernetes) makes new folders setgid, which changes nothing for dev.
        (await ShAsync(sandboxId, "cd ~/workspace && cat hello.txt && ./run.sh && for f in hello.txt src src/blob.bin run.sh; do " +
            "echo \"$f $(stat -c '%U %G' $f) $(printf %o $((0$(stat -c %a $f) & 0777)))\"; done"))
            .ShouldBe("hello world\nran-ok\nhello.txt dev dev 644\nsrc dev dev 755\nsrc/blob.bin dev dev 644\nrun.sh dev dev 755\n");
        await using var download = await app.Workspace.StartDownloadAsync(session, CancellationToken.None).WaitAsync(Timeout);
        using var packed = new MemoryStream();
        await download.CopyToAsync(packed, CancellationToken.None).WaitAsync(Timeout);
        var entries = Tarball.Read(packed.ToArray());
        entries.Single(e => e.Name == "workspace/hello.txt").Text.ShouldBe("hello world\n");
        entries.Single(e => e.Name == "workspace/src/blob.bin").Content.ShouldBe(blob);
        entries.Single(e => e.Name == "workspace/run.sh").Mode.ShouldBe((UnixFileMode)0b111_101_101);
        entries.ShouldNotContain(e => !e.Name.StartsWith("workspace/", StringComparison.Ordinal));
    }
}
