using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using RemoltBlazor.Sandboxes.Workspace;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Workspace;

/// <summary>The upload validator on crafted tarballs: every way out of the folder is refused, naming the entry.</summary>
public sealed class WorkspaceArchiveValidatorTests
{
    private const long Limit = 1 << 30;

    [Theory]
    [InlineData("/etc/cron.d/evil", "absolute path")]
    [InlineData("../x", "'..' component")]
    [InlineData("a/../../x", "'..' component")]
    [InlineData("./a/../b", "'..' component")]
    public void Validate_EscapingName_RejectedNamingEntry(string name, string reason)
    {
        var archive = new Tarball().File("ok.txt", "fine").File(name, "evil").ToArray();

        var error = Rejected(archive);

        error.ShouldContain($"'{name}'");
        error.ShouldContain(reason);
    }

    [Theory]
    [InlineData("passwd", "/etc/passwd")]
    [InlineData("a", "../../..")]
    [InlineData("deep/er/link", "../../../x")]
    [InlineData("deep/er/root", "/")]
    public void Validate_SymlinkOut_Rejected(string name, string target)
    {
        var archive = new Tarball().Directory("deep").Directory("deep/er").Symlink(name, target).ToArray();

        Rejected(archive).ShouldContain($"'{name}'");
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../etc/passwd")]
    public void Validate_HardLinkOut_Rejected(string target)
    {
        var archive = new Tarball().File("a.txt", "x").HardLink("pw", target).ToArray();

        Rejected(archive).ShouldContain("'pw'");
    }

    [Fact]
    public void Validate_DeviceFile_Rejected()
    {
        Rejected(new Tarball().CharacterDevice("null").ToArray()).ShouldContain("'null' is a character device");
        Rejected(new Tarball().Fifo("pipe").ToArray()).ShouldContain("'pipe' is a fifo");
    }

    [Fact]
    public void Validate_LinkChainedThroughAnotherLink_Rejected()
    {
        // d/e/l resolves to the root on paper; a second link made *through* it would really point above the root.
        var archive = new Tarball().Directory("d").Directory("d/e").Symlink("d/e/l", "../..").Symlink("d/e/l/m", "../x").ToArray();

        Rejected(archive).ShouldContain("goes through the symlink 'd/e/l'");
    }

    [Fact]
    public void Validate_FileWrittenThroughArchiveSymlink_Rejected()
    {
        var archive = new Tarball().Directory("src").Symlink("s", "src").File("s/a.txt", "x").ToArray();

        Rejected(archive).ShouldContain("'s/a.txt' goes through the symlink 's'");
    }

    [Fact]
    public void Validate_NestedWithInRootRelativeSymlinkAndHardLink_AcceptedIntoWorkspace()
    {
        var archive = new Tarball()
            .Directory("project")
            .Directory("project/src")
            .File("project/src/main.c", "int main(){}")
            .File("project/run.sh", "#!/bin/sh\necho hi\n", (UnixFileMode)0b111_101_101)
            .Symlink("project/src/link", "../run.sh")
            .Symlink("top", "project/src")
            .HardLink("project/copy.c", "project/src/main.c")
            .ToArray();

        var summary = WorkspaceArchiveValidator.Validate(new MemoryStream(archive), Limit);

        summary.Root.ShouldBe(WorkspaceExtractRoot.Workspace);
        summary.RootPath.ShouldBe("/home/dev/workspace");
        summary.Entries.ShouldBe(7);
        summary.UnpackedBytes.ShouldBe("int main(){}".Length + "#!/bin/sh\necho hi\n".Length);
        // What the upload checks on disk before extracting: every folder an entry passes through or creates.
        summary.Folders.ShouldBe(["project", "project/src"]);
    }

    [Fact]
    public void Validate_FilesWithoutFolderEntries_FoldersStillListEveryParent()
    {
        var archive = new Tarball().File("up/x/.bashrc", "x").File("top.txt", "y").Symlink("l/link", "../top.txt").ToArray();

        WorkspaceArchiveValidator.Validate(new MemoryStream(archive), Limit).Folders.ShouldBe(["l", "up", "up/x"]);
    }

    [Fact]
    public void Validate_DownloadedShape_ExtractsAtHome()
    {
        var archive = new Tarball()
            .Directory("workspace/").File("workspace/a.txt", "a").Symlink("workspace/cfg", "../.openclaw/openclaw.json")
            .Directory("./.openclaw/").File("./.openclaw/openclaw.json", "{}")
            .ToArray();

        var summary = WorkspaceArchiveValidator.Validate(new MemoryStream(archive), Limit);

        summary.Root.ShouldBe(WorkspaceExtractRoot.Home);
        summary.RootPath.ShouldBe("/home/dev");
    }

    [Theory]
    [InlineData("../.bashrc")]
    [InlineData("../.remolt/env")]
    [InlineData("..")]
    public void Validate_DownloadedShapeLinkToRestOfHome_Rejected(string target)
    {
        var archive = new Tarball().Directory("workspace").Symlink("workspace/x", target).ToArray();

        Rejected(archive).ShouldContain("'workspace/x'");
    }

    [Fact]
    public void Validate_MixedTopLevel_ExtractsIntoWorkspace()
    {
        var archive = new Tarball().File("workspace/a.txt", "a").File("README", "r").ToArray();

        WorkspaceArchiveValidator.Validate(new MemoryStream(archive), Limit).Root.ShouldBe(WorkspaceExtractRoot.Workspace);
    }

    [Fact]
    public void Validate_NotGzip_Rejected()
    {
        Rejected(Encoding.UTF8.GetBytes("PK\u0003\u0004 this is a zip file, honest, padded to some length")).ShouldContain("Not a gzip file");
        Rejected([]).ShouldContain("Not a gzip file");
    }

    [Fact]
    public void Validate_GzipOfNonTar_Rejected()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("just some text, not a tarball\n", 50))));
        }

        Rejected(output.ToArray()).ShouldContain("Not a valid .tar.gz");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(-4)]
    [InlineData(-1)]
    public void Validate_TruncatedGzip_Rejected(double cut)
    {
        var full = new Tarball().File("a.bin", new byte[200_000]).File("b.txt", "tail").ToArray();
        var length = cut > 0 ? (int)(full.Length * cut) : full.Length + (int)cut;

        Rejected(full[..length]).ShouldContain("Not a valid .tar.gz");
    }

    [Fact]
    public void Validate_EmptyArchive_Rejected()
    {
        // What `tar czf x.tgz -T /dev/null` writes: one 10 KiB record of zeros.
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(new byte[10240]);
        }

        Rejected(output.ToArray()).ShouldBe("The archive is empty.");
    }

    [Fact]
    public void Validate_UnpacksPastLimit_TooLarge()
    {
        var archive = new Tarball().File("zeros", new byte[5000]).ToArray();

        Should.Throw<WorkspaceUploadTooLargeException>(() => WorkspaceArchiveValidator.Validate(new MemoryStream(archive), 4999));
        WorkspaceArchiveValidator.Validate(new MemoryStream(archive), 5000).UnpackedBytes.ShouldBe(5000);
    }

    [Fact]
    public void Validate_GnuTarWithLongNamesAndLinks_AcceptedAndRewound()
    {
        var dir = Directory.CreateTempSubdirectory("remolt-gnutar-");
        try
        {
            var deep = Path.Combine(dir.FullName, "workspace", new string('d', 120), new string('e', 120));
            Directory.CreateDirectory(deep);
            File.WriteAllText(Path.Combine(deep, new string('f', 150) + ".txt"), "long");
            File.CreateSymbolicLink(Path.Combine(dir.FullName, "workspace", "up"), new string('d', 120));
            var archivePath = Path.Combine(dir.FullName, "ws.tar.gz");
            using (var tar = Process.Start(new ProcessStartInfo("tar", ["czf", archivePath, "-C", dir.FullName, "workspace"]))!)
            {
                tar.WaitForExit();
                tar.ExitCode.ShouldBe(0);
            }

            using var file = File.OpenRead(archivePath);
            var summary = WorkspaceArchiveValidator.Validate(file, Limit);

            summary.Root.ShouldBe(WorkspaceExtractRoot.Home);
            summary.Entries.ShouldBe(5);
            file.Position.ShouldBe(0);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Rejected(byte[] archive) =>
        Should.Throw<WorkspaceArchiveException>(() => WorkspaceArchiveValidator.Validate(new MemoryStream(archive), Limit)).Message;
}
