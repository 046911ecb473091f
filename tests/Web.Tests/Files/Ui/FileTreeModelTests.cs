using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Web.Components.Pages.Workspace.Files;

namespace RemoltBlazor.Web.Tests.Files.Ui;

public sealed class FileTreeModelTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static FileEntry File(string name, long size = 1) => new(name, FileEntry.FileType, size, Now);

    private static FileEntry Dir(string name) => new(name, FileEntry.DirectoryType, 0, Now);

    private static string[] Rows(FileTreeModel tree) => tree.Visible().Select(n => n.Path).ToArray();

    [Fact]
    public void SetChildren_Mixed_FoldersFirstThenByNameIgnoringCase()
    {
        var tree = new FileTreeModel();

        tree.SetChildren("/", [File("b.txt"), Dir("zeta"), File("A.md"), Dir("Alpha"), File("a.md")]);

        Rows(tree).ShouldBe(["/Alpha", "/zeta", "/A.md", "/a.md", "/b.txt"]);
    }

    [Fact]
    public void Toggle_UnlistedFolder_AsksForListingOnceThenShowsChildren()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [Dir("src"), File("x")]);

        tree.Toggle("/src").ShouldBeTrue();
        tree.Toggle("/src").ShouldBeFalse(); // closed again
        tree.Toggle("/src").ShouldBeFalse(); // open, listing still pending: not asked twice
        tree.SetChildren("/src", [File("main.cs")]);

        Rows(tree).ShouldBe(["/src", "/src/main.cs", "/x"]);
        tree.Find("/src/main.cs")!.Depth.ShouldBe(1);
        tree.Toggle("/src").ShouldBeFalse();
        Rows(tree).ShouldBe(["/src", "/x"]);
    }

    [Fact]
    public void SetChildren_Again_KeepsOpenSubfoldersAndTheirChildren()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [Dir("src")]);
        tree.Expand("/src");
        tree.SetChildren("/src", [File("a.cs")]);

        tree.SetChildren("/", [Dir("src"), File("new.txt")]);

        Rows(tree).ShouldBe(["/src", "/src/a.cs", "/new.txt"]);
    }

    [Fact]
    public void ListingFailed_ClosesTheFolderSoOpeningRetries()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [Dir("locked")]);
        tree.Expand("/locked").ShouldBeTrue();

        tree.ListingFailed("/locked");

        tree.Find("/locked")!.Expanded.ShouldBeFalse();
        tree.Expand("/locked").ShouldBeTrue();
    }

    [Fact]
    public void Apply_CreatedDeletedMoved_TreeFollows()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [Dir("src"), Dir("docs"), File("old.txt")]);
        tree.Expand("/src");
        tree.SetChildren("/src", [File("a.cs")]);
        tree.Select("/src/a.cs");

        tree.Apply([
            new FileChange("created", "/src/b.cs", false),
            new FileChange("created", "/src/lib", true),
            new FileChange("created", "/docs/unlisted.md", false), // docs was never listed: left alone
            new FileChange("modified", "/old.txt", false),
            new FileChange("moved", "/renamed.txt", false, "/old.txt"),
            new FileChange("deleted", "/src/a.cs", false),
        ]);

        Rows(tree).ShouldBe(["/docs", "/src", "/src/lib", "/src/b.cs", "/renamed.txt"]);
        tree.Find("/docs")!.Children.ShouldBeNull();
        tree.Find("/src/lib")!.IsDirectory.ShouldBeTrue();
        tree.Selected.ShouldBeNull(); // the selected file went away
    }

    [Fact]
    public void Apply_Everything_AsksForRefreshOthersDoNot()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [File("a")]);

        tree.Apply([new FileChange(FileChange.Modified, "/a", false)]).ShouldBeFalse();
        tree.Apply([new FileChange(FileChange.Created, "/b", false), FileChange.Everything]).ShouldBeTrue();
    }

    [Fact]
    public void Apply_CreatedTwice_OneRow()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [File("a")]);

        tree.Apply([new FileChange("created", "/a", false), new FileChange("created", "/b", false), new FileChange("created", "/b", false)]);

        Rows(tree).ShouldBe(["/a", "/b"]);
    }

    [Fact]
    public void Apply_DeletedFolder_SelectionInsideItGoes()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [Dir("src")]);
        tree.Expand("/src");
        tree.SetChildren("/src", [File("a.cs")]);
        tree.Select("/src/a.cs");

        tree.Apply([new FileChange("deleted", "/src", true)]);

        Rows(tree).ShouldBeEmpty();
        tree.Selected.ShouldBeNull();
    }

    [Fact]
    public void OnKey_ArrowsHomeEnd_MoveTheSelection()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [Dir("src"), File("a"), File("b")]);

        tree.OnKey("ArrowDown");
        tree.Selected.ShouldBe("/src");
        tree.OnKey("ArrowDown");
        tree.OnKey("ArrowDown");
        tree.OnKey("ArrowDown"); // stays on the last row
        tree.Selected.ShouldBe("/b");
        tree.OnKey("Home");
        tree.Selected.ShouldBe("/src");
        tree.OnKey("End");
        tree.Selected.ShouldBe("/b");
        tree.OnKey("ArrowUp");
        tree.Selected.ShouldBe("/a");
    }

    [Fact]
    public void OnKey_RightLeftEnter_OpenCloseFoldersAndOpenFiles()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [Dir("src"), File("readme.md")]);
        tree.Select("/src");

        tree.OnKey("ArrowRight").ShouldBe(TreeKeyResult.List("/src"));
        tree.SetChildren("/src", [File("main.cs")]);
        tree.OnKey("ArrowRight").ShouldBe(TreeKeyResult.None);
        tree.Selected.ShouldBe("/src/main.cs"); // right on an open folder goes to its first child
        tree.OnKey("Enter").ShouldBe(TreeKeyResult.Open("/src/main.cs"));
        tree.OnKey("ArrowLeft");
        tree.Selected.ShouldBe("/src"); // left on a file goes to its folder
        tree.OnKey("ArrowLeft");
        tree.Find("/src")!.Expanded.ShouldBeFalse(); // left on an open folder closes it
        tree.OnKey("Enter").ShouldBe(TreeKeyResult.None); // opens again, already listed
        tree.Find("/src")!.Expanded.ShouldBeTrue();
    }

    [Fact]
    public void ListedFolders_RootAndOpenListedFolders()
    {
        var tree = new FileTreeModel();
        tree.SetChildren("/", [Dir("a"), Dir("b")]);
        tree.Expand("/a");
        tree.SetChildren("/a", [Dir("c")]);
        tree.Expand("/b"); // not listed yet

        tree.ListedFolders().ShouldBe(["/", "/a"]);
    }
}
