using System.Text;
using RemoltBlazor.Sandboxes.Files;

namespace RemoltBlazor.Sandboxes.Tests.Files;

public sealed class FileSnapshotTests
{
    private static FileSnapshot Snapshot(params (string Facts, string Path)[] entries) =>
        FileSnapshot.Parse(Encoding.UTF8.GetBytes(string.Concat(entries.Select(e => $"{e.Facts}\0{e.Path}\0"))));

    [Fact]
    public void Since_CreatedModifiedDeletedAndRetyped()
    {
        var before = Snapshot(("f 1 10.0 5", "a"), ("f 1 10.0 6", "same"), ("d 4096 10.0 7", "dir"), ("f 1 10.0 8", "gone"), ("f 1 10.0 9", "x"));
        var after = Snapshot(("f 2 11.0 5", "a"), ("f 1 10.0 6", "same"), ("d 4096 12.0 7", "dir"), ("f 0 12.0 10", "dir/new"), ("d 4096 12.0 9", "x"));

        after.Since(before).ShouldBe([
            new FileChange("modified", "/a", false),
            new FileChange("created", "/dir/new", false),
            new FileChange("deleted", "/x", false),
            new FileChange("created", "/x", true),
            new FileChange("deleted", "/gone", false)], ignoreOrder: true);
    }

    [Fact]
    public void Since_SameFileReplacedByRename_IsAModification()
    {
        var before = Snapshot(("f 3 10.0 5", "a"));
        var after = Snapshot(("f 3 10.0 6", "a")); // same size and time, another inode: an atomic save

        after.Since(before).ShouldBe([new FileChange("modified", "/a", false)]);
    }
}
