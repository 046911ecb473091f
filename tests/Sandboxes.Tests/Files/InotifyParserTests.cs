using System.Text;
using RemoltBlazor.Sandboxes.Files;

namespace RemoltBlazor.Sandboxes.Tests.Files;

public sealed class InotifyParserTests
{
    private readonly List<FileChange> _changes = [];

    private InotifyParser Parser() => new(_changes.Add);

    private static byte[] Records(params (string Events, string Path)[] records) =>
        Encoding.UTF8.GetBytes(string.Concat(records.Select(r => $"{r.Events}\0{r.Path}\0")));

    [Fact]
    public void Feed_EachKind_MappedWithRelativePaths()
    {
        var parser = Parser();

        parser.Feed(Records(
            ("CREATE", "/home/dev/workspace/a.txt"),
            ("CLOSE_WRITE,CLOSE", "/home/dev/workspace/a.txt"),
            ("CREATE,ISDIR", "/home/dev/workspace/d"),
            ("DELETE,ISDIR", "/home/dev/workspace/d"),
            ("DELETE", "/home/dev/workspace/new\nline"),
            ("ATTRIB", "/home/dev/workspace/ignored"),
            ("CREATE", "/elsewhere/x")));

        _changes.ShouldBe([
            new FileChange("created", "/a.txt", false),
            new FileChange("modified", "/a.txt", false),
            new FileChange("created", "/d", true),
            new FileChange("deleted", "/d", true),
            new FileChange("deleted", "/new\nline", false)]);
    }

    [Fact]
    public void Feed_MoveSplitAcrossReads_OneMove()
    {
        var parser = Parser();
        var bytes = Records(("MOVED_FROM", "/home/dev/workspace/a"), ("MOVED_TO", "/home/dev/workspace/sub/b"));

        foreach (var b in bytes)
        {
            parser.Feed([b]);
        }

        _changes.ShouldBe([new FileChange("moved", "/sub/b", false, "/a")]);
    }

    [Fact]
    public void MovedFromAlone_AfterTwoTicks_IsADeletion_MovedToAlone_ACreation()
    {
        var parser = Parser();

        parser.Feed(Records(("MOVED_FROM,ISDIR", "/home/dev/workspace/out")));
        parser.Expire();
        _changes.ShouldBeEmpty(); // the second half may still come
        parser.Expire();
        parser.Feed(Records(("MOVED_TO", "/home/dev/workspace/in")));

        _changes.ShouldBe([new FileChange("deleted", "/out", true), new FileChange("created", "/in", false)]);
    }

    [Fact]
    public void MovedFrom_ThenAnotherEvent_FlushedAsDeletionFirst()
    {
        var parser = Parser();

        parser.Feed(Records(("MOVED_FROM", "/home/dev/workspace/a"), ("CREATE", "/home/dev/workspace/b")));

        _changes.ShouldBe([new FileChange("deleted", "/a", false), new FileChange("created", "/b", false)]);
    }

    [Fact]
    public void Feed_OverlongField_TruncatedNotUnbounded()
    {
        var parser = Parser();

        parser.Feed(Encoding.UTF8.GetBytes("CREATE\0/home/dev/workspace/" + new string('x', 100_000) + "\0"));
        parser.Feed(Records(("CREATE", "/home/dev/workspace/next")));

        _changes.Last().ShouldBe(new FileChange("created", "/next", false));
        _changes[0].Path.Length.ShouldBeLessThan(17 * 1024);
    }
}
