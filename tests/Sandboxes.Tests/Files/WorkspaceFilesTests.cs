using System.Text;
using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Files;

/// <summary>List, read, write, upload, download, folders, moves and deletes in a real sandbox.</summary>
public sealed class WorkspaceFilesTests(FilesSandbox sandbox) : IClassFixture<FilesSandbox>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private WorkspaceFiles Files => sandbox.Files;

    [DockerFact]
    public async Task List_Folder_FoldersFirstWithTypesSizesAndTimes()
    {
        var dir = await sandbox.FolderAsync("list");
        await sandbox.ShAsync("cd ~/workspace/list && mkdir zeta && printf 12345 > alpha.txt && printf x > 'B file' && ln -s alpha.txt link && touch -d '2024-01-02 03:04:05.5 UTC' alpha.txt"
            + " && printf x > \"$(printf 'new\\nline')\"");

        var entries = await Files.ListAsync(sandbox.Session, "/" + dir, None);

        entries.Select(e => (e.Name, e.Type)).ShouldBe([
            ("zeta", "directory"), ("alpha.txt", "file"), ("B file", "file"), ("link", "symlink"), ("new\nline", "file")]);
        var alpha = entries.Single(e => e.Name == "alpha.txt");
        alpha.Size.ShouldBe(5);
        alpha.Modified.ShouldBe(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 500, TimeSpan.Zero));
        entries.Single(e => e.Name == "zeta").Size.ShouldBe(0);
        (await Files.ListAsync(sandbox.Session, "/", None)).ShouldContain(e => e.Name == "list" && e.Type == "directory");
        (await Files.ListAsync(sandbox.Session, "", None)).ShouldContain(e => e.Name == "list");
    }

    [DockerFact]
    public async Task ReadWrite_TextWithVersion_RoundTripsAndConflictsWhenChanged()
    {
        var dir = await sandbox.FolderAsync("rw");
        var before = sandbox.Session.LastActivity;
        sandbox.Host.Time.Advance(TimeSpan.FromSeconds(1)); // the host's clock is a fake one

        var written = await Files.WriteAsync(sandbox.Session, $"{dir}/deep/er/notes.md", "héllo\nworld\n", null, None);

        (await sandbox.ShAsync("cat ~/workspace/rw/deep/er/notes.md")).ShouldBe("héllo\nworld");
        (await sandbox.ShAsync("stat -c '%U %a' ~/workspace/rw/deep/er/notes.md")).ShouldBe("dev 644");
        written.Path.ShouldBe("/rw/deep/er/notes.md");
        written.Size.ShouldBe(Encoding.UTF8.GetByteCount("héllo\nworld\n"));
        sandbox.Session.LastActivity.ShouldBeGreaterThan(before);

        var read = await Files.ReadAsync(sandbox.Session, $"/{dir}/deep/er/notes.md", None);
        read.Text.ShouldBe("héllo\nworld\n");
        read.IsBinary.ShouldBeFalse();
        read.TooLarge.ShouldBeFalse();
        read.Version.ShouldBe(written.Version);
        read.Modified.ShouldBe(written.Modified);

        var second = await Files.WriteAsync(sandbox.Session, $"{dir}/deep/er/notes.md", "v2", read.Version, None);
        second.Version.ShouldNotBe(read.Version);
        (await Should.ThrowAsync<FileConflictException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/deep/er/notes.md", "stale", read.Version, None)))
            .Message.ShouldContain("changed since it was read");

        // A change made in the sandbox (same size, same second) is a conflict too: the version is the content's.
        await sandbox.ShAsync("printf v3 > ~/workspace/rw/deep/er/notes.md");
        await Should.ThrowAsync<FileConflictException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/deep/er/notes.md", "mine", second.Version, None));
        (await sandbox.ShAsync("cat ~/workspace/rw/deep/er/notes.md")).ShouldBe("v3");

        await sandbox.ShAsync("rm ~/workspace/rw/deep/er/notes.md");
        (await Should.ThrowAsync<FileConflictException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/deep/er/notes.md", "x", second.Version, None)))
            .Message.ShouldContain("deleted");
        (await sandbox.ShAsync("ls -A ~/workspace/rw/deep/er")).ShouldBeEmpty(); // no temporary file left behind
    }

    [DockerFact]
    public async Task Write_ExistingExecutable_KeepsModeAndReplacesAtomically()
    {
        var dir = await sandbox.FolderAsync("mode");
        await sandbox.ShAsync("printf '#!/bin/sh\\necho one\\n' > ~/workspace/mode/run.sh && chmod 750 ~/workspace/mode/run.sh");
        var inode = await sandbox.ShAsync("stat -c %i ~/workspace/mode/run.sh");

        await Files.WriteAsync(sandbox.Session, $"{dir}/run.sh", "#!/bin/sh\necho two\n", null, None);

        (await sandbox.ShAsync("~/workspace/mode/run.sh")).ShouldBe("two");
        (await sandbox.ShAsync("stat -c %a ~/workspace/mode/run.sh")).ShouldBe("750");
        (await sandbox.ShAsync("stat -c %i ~/workspace/mode/run.sh")).ShouldNotBe(inode); // a new file renamed over the old one
        (await sandbox.ShAsync("ls -A ~/workspace/mode")).ShouldBe("run.sh");
    }

    [DockerFact]
    public async Task Read_BinaryAndTooLarge_NoTextButFacts()
    {
        var dir = await sandbox.FolderAsync("bin");
        await sandbox.ShAsync("cd ~/workspace/bin && printf 'ab\\0cd' > nul.bin && printf '\\xff\\xfe\\x41' > latin.txt"
            + $" && head -c {FilesSandbox.MaxTextBytes + 1} /dev/zero | tr '\\0' a > big.txt && head -c {FilesSandbox.MaxTextBytes} /dev/zero | tr '\\0' a > edge.txt");

        var nul = await Files.ReadAsync(sandbox.Session, $"{dir}/nul.bin", None);
        nul.IsBinary.ShouldBeTrue();
        nul.Text.ShouldBeNull();
        nul.Size.ShouldBe(5);
        var latin = await Files.ReadAsync(sandbox.Session, $"{dir}/latin.txt", None);
        latin.IsBinary.ShouldBeTrue();
        var big = await Files.ReadAsync(sandbox.Session, $"{dir}/big.txt", None);
        big.TooLarge.ShouldBeTrue();
        big.Text.ShouldBeNull();
        big.Size.ShouldBe(FilesSandbox.MaxTextBytes + 1);
        big.Version.ShouldStartWith("stat:");
        var edge = await Files.ReadAsync(sandbox.Session, $"{dir}/edge.txt", None);
        edge.TooLarge.ShouldBeFalse();
        edge.Text!.Length.ShouldBe((int)FilesSandbox.MaxTextBytes);

        await Should.ThrowAsync<FileTooLargeException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/new.txt", new string('a', (int)FilesSandbox.MaxTextBytes + 1), null, None));
        // A too-large file's version still guards a write.
        await sandbox.ShAsync("printf b >> ~/workspace/bin/big.txt");
        await Should.ThrowAsync<FileConflictException>(() => Files.WriteAsync(sandbox.Session, $"{dir}/big.txt", "small", big.Version, None));
        await Should.ThrowAsync<FileNotFoundInWorkspaceException>(() => Files.ReadAsync(sandbox.Session, $"{dir}/missing.txt", None));
        await Should.ThrowAsync<FilePathException>(() => Files.ReadAsync(sandbox.Session, dir, None));
    }

    [DockerFact]
    public async Task UploadAndDownload_BinaryBytes_RoundTripExactly()
    {
        var dir = await sandbox.FolderAsync("up");
        var bytes = new byte[300_000];
        new Random(11).NextBytes(bytes);

        var written = await Files.UploadAsync(sandbox.Session, $"{dir}/blob.bin", new MemoryStream(bytes), bytes.Length, overwrite: false, None);

        written.Size.ShouldBe(bytes.Length);
        written.Version.ShouldStartWith("stat:"); // larger than the test's text limit
        (await sandbox.ShAsync("sha256sum < ~/workspace/up/blob.bin | cut -c1-64")).ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        await using (var stream = await Files.OpenReadAsync(sandbox.Session, $"/{dir}/blob.bin", None))
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy).WaitAsync(FilesSandbox.Timeout);
            copy.ToArray().ShouldBe(bytes);
        }

        await Should.ThrowAsync<FileConflictException>(() => Files.UploadAsync(sandbox.Session, $"{dir}/blob.bin", new MemoryStream([1, 2]), 2, overwrite: false, None));
        var replaced = await Files.UploadAsync(sandbox.Session, $"{dir}/blob.bin", new MemoryStream([1, 2]), 2, overwrite: true, None);
        replaced.Size.ShouldBe(2);
        replaced.Version.ShouldBe(FileVersionOf([1, 2]));
        (await Files.ReadAsync(sandbox.Session, $"{dir}/blob.bin", None)).Version.ShouldBe(replaced.Version);

        // A body that ends early writes nothing.
        await Should.ThrowAsync<FileOperationException>(() => Files.UploadAsync(sandbox.Session, $"{dir}/short.bin", new MemoryStream([1, 2, 3]), 10, overwrite: false, None));
        (await sandbox.ShAsync("ls -A ~/workspace/up")).ShouldBe("blob.bin");
        var empty = await Files.UploadAsync(sandbox.Session, $"{dir}/empty", Stream.Null, 0, overwrite: false, None);
        empty.Size.ShouldBe(0);
        await Should.ThrowAsync<FileNotFoundInWorkspaceException>(() => Files.OpenReadAsync(sandbox.Session, $"{dir}/nothing", None));
    }

    [DockerFact]
    public async Task FoldersMovesDeletes_DoWhatTheySayAndRefuseClobbering()
    {
        var dir = await sandbox.FolderAsync("ops");
        await Files.CreateFolderAsync(sandbox.Session, $"{dir}/a/b", None);
        (await sandbox.ShAsync("test -d ~/workspace/ops/a/b && echo yes")).ShouldBe("yes");
        await Should.ThrowAsync<FileConflictException>(() => Files.CreateFolderAsync(sandbox.Session, $"{dir}/a/b", None));
        await Files.WriteAsync(sandbox.Session, $"{dir}/a/b/f.txt", "f", null, None);
        await Files.WriteAsync(sandbox.Session, $"{dir}/other.txt", "o", null, None);

        await Files.MoveAsync(sandbox.Session, $"{dir}/a", $"{dir}/new/place", None);
        (await sandbox.ShAsync("cat ~/workspace/ops/new/place/b/f.txt; echo; test -e ~/workspace/ops/a || echo gone")).ShouldBe("f\ngone");

        (await Should.ThrowAsync<FileConflictException>(() => Files.MoveAsync(sandbox.Session, $"{dir}/other.txt", $"{dir}/new/place/b/f.txt", None)))
            .Message.ShouldContain("already exists");
        (await sandbox.ShAsync("cat ~/workspace/ops/new/place/b/f.txt ~/workspace/ops/other.txt")).ShouldBe("fo");
        await Should.ThrowAsync<FileConflictException>(() => Files.MoveAsync(sandbox.Session, $"{dir}/new", $"{dir}/new/inside", None));
        await Should.ThrowAsync<FileNotFoundInWorkspaceException>(() => Files.MoveAsync(sandbox.Session, $"{dir}/nope", $"{dir}/x", None));

        await Files.DeleteAsync(sandbox.Session, $"{dir}/new", None);
        await Files.DeleteAsync(sandbox.Session, $"/{dir}/other.txt", None);
        (await sandbox.ShAsync("ls -A ~/workspace/ops")).ShouldBeEmpty();
        await Should.ThrowAsync<FileNotFoundInWorkspaceException>(() => Files.DeleteAsync(sandbox.Session, $"{dir}/other.txt", None));
        await Should.ThrowAsync<FilePathException>(() => Files.DeleteAsync(sandbox.Session, "/", None));
        await Should.ThrowAsync<FilePathException>(() => Files.DeleteAsync(sandbox.Session, "", None));
        (await sandbox.ShAsync("test -d ~/workspace && echo still")).ShouldBe("still");
    }

    private static string FileVersionOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
}
