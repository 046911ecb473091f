using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Files;

/// <summary>
/// Every way out of the workspace is refused, by the path check here or by <c>realpath</c> in the sandbox, for every
/// operation; links are listed, and deleting or moving a link touches the link, never what it points at.
/// </summary>
public sealed class ConfinementTests(FilesSandbox sandbox) : IClassFixture<FilesSandbox>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private WorkspaceFiles Files => sandbox.Files;

    [DockerTheory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/../etc/passwd")]
    [InlineData("..")]
    [InlineData("a/\nb")]
    [InlineData("a\0b")]
    [InlineData("tab\there")]
    public async Task EveryOperation_DotDotOrControlCharacter_RefusedBeforeTheSandbox(string path)
    {
        await Should.ThrowAsync<FilePathException>(() => Files.ListAsync(sandbox.Session, path, None));
        await Should.ThrowAsync<FilePathException>(() => Files.ReadAsync(sandbox.Session, path, None));
        await Should.ThrowAsync<FilePathException>(() => Files.WriteAsync(sandbox.Session, path, "x", null, None));
        await Should.ThrowAsync<FilePathException>(() => Files.UploadAsync(sandbox.Session, path, Stream.Null, 0, false, None));
        await Should.ThrowAsync<FilePathException>(() => Files.OpenReadAsync(sandbox.Session, path, None));
        await Should.ThrowAsync<FilePathException>(() => Files.CreateFolderAsync(sandbox.Session, path, None));
        await Should.ThrowAsync<FilePathException>(() => Files.DeleteAsync(sandbox.Session, path, None));
        await Should.ThrowAsync<FilePathException>(() => Files.MoveAsync(sandbox.Session, path, "fine", None));
        await Should.ThrowAsync<FilePathException>(() => Files.MoveAsync(sandbox.Session, "fine", path, None));
        (await sandbox.ShAsync("ls -A /home/dev | grep -c '^x$' || true")).ShouldBe("0");
    }

    [DockerFact]
    public async Task AbsolutePath_EtcPasswd_MeansTheWorkspacesOwn()
    {
        await sandbox.ShAsync("rm -rf ~/workspace/etc");

        await Should.ThrowAsync<FileNotFoundInWorkspaceException>(() => Files.ReadAsync(sandbox.Session, "/etc/passwd", None));
        await Should.ThrowAsync<FileNotFoundInWorkspaceException>(() => Files.OpenReadAsync(sandbox.Session, "/etc/passwd", None));
        await Should.ThrowAsync<FileNotFoundInWorkspaceException>(() => Files.ReadAsync(sandbox.Session, "..\\..\\etc\\passwd", None));
        await Files.WriteAsync(sandbox.Session, "/etc/passwd", "mine", null, None);
        (await Files.ReadAsync(sandbox.Session, "/etc/passwd", None)).Text.ShouldBe("mine");
        (await sandbox.ShAsync("cat ~/workspace/etc/passwd")).ShouldBe("mine");
        (await sandbox.ShAsync("grep -c '^root:' /etc/passwd")).ShouldBe("1");
        await sandbox.ShAsync("rm -rf ~/workspace/etc");
    }

    [DockerFact]
    public async Task LinkToEtc_ListedButNeverFollowedOut()
    {
        var dir = await sandbox.FolderAsync("esc");
        await sandbox.ShAsync("cd ~/workspace/esc && ln -s /etc etc && ln -s /etc/passwd pw && ln -s /home/dev/.remolt remolt");

        var entries = await Files.ListAsync(sandbox.Session, dir, None);
        entries.Select(e => (e.Name, e.Type)).ShouldBe([("etc", "symlink"), ("pw", "symlink"), ("remolt", "symlink")]);

        (await Should.ThrowAsync<FilePathException>(() => Files.ListAsync(sandbox.Session, $"{dir}/etc", None))).Message.ShouldBe("/esc/etc leads out of the workspace.");
        (await Should.ThrowAsync<FilePathException>(() => Files.ReadAsync(sandbox.Session, $"{dir}/etc/passwd", None))).Message.ShouldContain("leads out of the workspace");
        await Should.ThrowAsync<FilePathException>(() => Files.ReadAsync(sandbox.Session, $"{dir}/pw", None));
        await Should.ThrowAsync<FilePathException>(() => Files.OpenReadAsync(sandbox.Session, $"{dir}/pw", None));
        await Should.ThrowAsync<FilePathException>(() => Files.OpenReadAsync(sandbox.Session, $"{dir}/etc/hostname", None));
        await Should.ThrowAsync<FilePathException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/remolt/planted", "x", null, None));
        await Should.ThrowAsync<FilePathException>(() => Files.ListAsync(sandbox.Session, $"{dir}/remolt", None));
        (await sandbox.ShAsync("test -e ~/.remolt/planted || echo absent")).ShouldBe("absent");
    }

    [DockerFact]
    public async Task LinkedParentFolderOutside_EveryWriteRefused_NothingLandsOutside()
    {
        var dir = await sandbox.FolderAsync("par");
        await sandbox.ShAsync("rm -rf /tmp/outside && mkdir -p /tmp/outside/sub && printf keep > /tmp/outside/target.txt"
            + " && cd ~/workspace/par && ln -s /tmp/outside out && ln -s /tmp/outside/target.txt t && ln -s /tmp/outside/new.txt dangling && printf in > inner.txt");
        var before = await sandbox.ShAsync("find /tmp/outside | sort");

        await Should.ThrowAsync<FilePathException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/out/new.txt", "x", null, None));
        await Should.ThrowAsync<FilePathException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/out/deeper/new.txt", "x", null, None));
        await Should.ThrowAsync<FilePathException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/t", "overwrite", null, None));
        await Should.ThrowAsync<FilePathException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/dangling", "x", null, None));
        await Should.ThrowAsync<FilePathException>(() => Files.UploadAsync(sandbox.Session, $"{dir}/out/up.bin", new MemoryStream([1]), 1, true, None));
        await Should.ThrowAsync<FilePathException>(() => Files.CreateFolderAsync(sandbox.Session, $"{dir}/out/made", None));
        await Should.ThrowAsync<FilePathException>(() => Files.CreateFolderAsync(sandbox.Session, $"{dir}/out/sub/made", None));
        await Should.ThrowAsync<FilePathException>(() => Files.MoveAsync(sandbox.Session, $"{dir}/inner.txt", $"{dir}/out/inner.txt", None));
        await Should.ThrowAsync<FilePathException>(() => Files.MoveAsync(sandbox.Session, $"{dir}/out/target.txt", $"{dir}/stolen.txt", None));
        await Should.ThrowAsync<FilePathException>(() => Files.DeleteAsync(sandbox.Session, $"{dir}/out/target.txt", None));
        await Should.ThrowAsync<FilePathException>(() => Files.DeleteAsync(sandbox.Session, $"{dir}/out/sub", None));

        (await sandbox.ShAsync("find /tmp/outside | sort")).ShouldBe(before);
        (await sandbox.ShAsync("cat /tmp/outside/target.txt")).ShouldBe("keep");
        (await sandbox.ShAsync("cat ~/workspace/par/inner.txt")).ShouldBe("in");

        // The links themselves are the workspace's: they can be renamed and deleted, their targets stay.
        await Files.MoveAsync(sandbox.Session, $"{dir}/t", $"{dir}/t2", None);
        await Files.DeleteAsync(sandbox.Session, $"{dir}/out", None);
        await Files.DeleteAsync(sandbox.Session, $"{dir}/t2", None);
        (await sandbox.ShAsync("ls -A ~/workspace/par")).ShouldBe("dangling\ninner.txt");
        (await sandbox.ShAsync("find /tmp/outside | sort")).ShouldBe(before);
    }

    [DockerFact]
    public async Task LinkInsideWorkspace_FollowedForReadAndWrite()
    {
        var dir = await sandbox.FolderAsync("inl");
        await sandbox.ShAsync("cd ~/workspace/inl && mkdir real && printf one > real/f.txt && ln -s real alias && ln -s real/f.txt f-link");

        (await Files.ReadAsync(sandbox.Session, $"{dir}/alias/f.txt", None)).Text.ShouldBe("one");
        (await Files.ListAsync(sandbox.Session, $"{dir}/alias", None)).Select(e => e.Name).ShouldBe(["f.txt"]);
        await Files.WriteAsync(sandbox.Session, $"{dir}/f-link", "two", null, None);

        (await sandbox.ShAsync("cat ~/workspace/inl/real/f.txt; echo; test -L ~/workspace/inl/f-link && echo still-a-link")).ShouldBe("two\nstill-a-link");
    }
}
