using RemoltBlazor.Sandboxes.Files;

namespace RemoltBlazor.Sandboxes.Tests.Files;

public sealed class FileStampTests
{
    [Fact]
    public void Parse_FindOutput_SizeTimeInodeAndVersion()
    {
        var stamp = FileStamp.Parse("1234 1700000000.1234567890 42\n");

        stamp.Size.ShouldBe(1234);
        stamp.Inode.ShouldBe(42);
        stamp.Modified.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(1234567));
        stamp.Version.ShouldBe("stat:1234:1700000000.1234567890:42");
    }

    [Theory]
    [InlineData("")]
    [InlineData("12 13")]
    [InlineData("a 1.0 2")]
    [InlineData("1 x.y 2")]
    [InlineData("-1 1.0 2")]
    public void Parse_Garbage_Refused(string line) => Should.Throw<FileOperationException>(() => FileStamp.Parse(line));

    [Theory]
    [InlineData("sha256:0123abcd")]
    [InlineData("stat:1:2.5:3")]
    [InlineData(null)]
    [InlineData("")]
    public void CheckVersion_HandedOutShapes_Accepted(string? version) => FileVersions.Check(version).ShouldBe(string.IsNullOrEmpty(version) ? null : version);

    [Theory]
    [InlineData("md5:00")]
    [InlineData("sha256:$(reboot)")]
    [InlineData("stat:1 2")]
    public void CheckVersion_Other_Refused(string version) => Should.Throw<FilePathException>(() => FileVersions.Check(version));

    [Fact]
    public void TryDecode_TextNulOrInvalidUtf8()
    {
        FileText.TryDecode("héllo\n"u8).ShouldBe("héllo\n");
        FileText.TryDecode([0xEF, 0xBB, 0xBF, (byte)'a']).ShouldBe("\uFEFFa"); // the BOM survives a save
        FileText.TryDecode([(byte)'a', 0, (byte)'b']).ShouldBeNull();
        FileText.TryDecode([0xC3]).ShouldBeNull(); // a cut-off sequence
        FileText.TryDecode([]).ShouldBe("");
    }
}
