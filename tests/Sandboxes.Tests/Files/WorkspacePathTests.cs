using RemoltBlazor.Sandboxes.Files;

namespace RemoltBlazor.Sandboxes.Tests.Files;

public sealed class WorkspacePathTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("/", "")]
    [InlineData("//./", "")]
    [InlineData("/etc/passwd", "etc/passwd")]
    [InlineData("src//a.cs/", "src/a.cs")]
    [InlineData("./a/./b", "a/b")]
    [InlineData("..\\..\\x", "..\\..\\x")]
    [InlineData("a..b/...", "a..b/...")]
    [InlineData("é/日本", "é/日本")]
    public void Normalize_Fine_SegmentsUnderTheWorkspace(string path, string expected) =>
        WorkspacePath.Normalize(path).ShouldBe(expected);

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("a/..")]
    [InlineData("/..")]
    [InlineData("a\0b")]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("a\u007fb")]
    [InlineData("a\u0085b")]
    public void Normalize_ClimbOrControlCharacter_Refused(string path) =>
        Should.Throw<FilePathException>(() => WorkspacePath.Normalize(path));

    [Fact]
    public void Normalize_TooLong_Refused()
    {
        Should.Throw<FilePathException>(() => WorkspacePath.Normalize(new string('a', 256)));
        Should.Throw<FilePathException>(() => WorkspacePath.Normalize(string.Join('/', Enumerable.Repeat(new string('a', 200), 21))));
        WorkspacePath.Normalize(new string('a', 255)).Length.ShouldBe(255);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("./")]
    public void NormalizeEntry_TheWorkspaceItself_Refused(string path) =>
        Should.Throw<FilePathException>(() => WorkspacePath.NormalizeEntry(path)).Message.ShouldContain("workspace itself");
}
