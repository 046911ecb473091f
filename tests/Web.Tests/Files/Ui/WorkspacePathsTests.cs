using RemoltBlazor.Web.Components.Pages.Workspace.Files;

namespace RemoltBlazor.Web.Tests.Files.Ui;

public sealed class WorkspacePathsTests
{
    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("src/a.cs", "/src/a.cs")]
    [InlineData("/src/", "/src")]
    public void Normalize_LeadingSlashNoTrailing(string path, string expected) => WorkspacePaths.Normalize(path).ShouldBe(expected);

    [Fact]
    public void JoinParentName_RoundTrip()
    {
        WorkspacePaths.Join("/", "a.txt").ShouldBe("/a.txt");
        WorkspacePaths.Join("/src", "lib/x.cs").ShouldBe("/src/lib/x.cs");
        WorkspacePaths.Parent("/src/lib/x.cs").ShouldBe("/src/lib");
        WorkspacePaths.Parent("/x.cs").ShouldBe("/");
        WorkspacePaths.Name("/src/lib/x.cs").ShouldBe("x.cs");
    }

    [Fact]
    public void IsWithin_ItselfAndDescendantsOnly()
    {
        WorkspacePaths.IsWithin("/src/a", "/src").ShouldBeTrue();
        WorkspacePaths.IsWithin("/src", "/src").ShouldBeTrue();
        WorkspacePaths.IsWithin("/srcx/a", "/src").ShouldBeFalse();
        WorkspacePaths.IsWithin("/anything", "/").ShouldBeTrue();
    }

    [Fact]
    public void ApiUrl_EscapesEachSegment()
    {
        WorkspacePaths.ApiUrl("abc", "/my dir/a#1?.txt").ShouldBe("/api/sessions/abc/files/my%20dir/a%231%3F.txt");
        WorkspacePaths.DownloadUrl("abc", "/a.bin").ShouldBe("/api/sessions/abc/files/a.bin?raw=1");
    }

    [Theory]
    [InlineData(12, "12 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(1_258_291, "1.2 MB")]
    public void Size_Readable(long bytes, string expected) => WorkspacePaths.Size(bytes).ShouldBe(expected);
}
