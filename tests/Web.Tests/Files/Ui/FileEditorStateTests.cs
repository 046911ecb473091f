using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Web.Components.Pages.Workspace.Files;

namespace RemoltBlazor.Web.Tests.Files.Ui;

public sealed class FileEditorStateTests
{
    private static FileContent Text(string path, string version, string text = "x") =>
        new(path, text, false, false, text.Length, DateTimeOffset.UnixEpoch, version);

    private static FileEditorState Opened(string version = "v1")
    {
        var state = new FileEditorState();
        state.Open(Text("src/a.cs", version));
        return state;
    }

    [Fact]
    public void Open_Text_CleanAtItsVersion()
    {
        var state = Opened();

        state.Path.ShouldBe("/src/a.cs");
        state.Version.ShouldBe("v1");
        state.IsText.ShouldBeTrue();
        state.Dirty.ShouldBeFalse();
    }

    [Fact]
    public void Open_BinaryOrTooLarge_NotText_NeverDirtyNorSaved()
    {
        var state = new FileEditorState();
        state.Open(new FileContent("/img.png", null, true, false, 1_200_000, DateTimeOffset.UnixEpoch, "v"));

        state.IsText.ShouldBeFalse();
        state.Edited(true);
        state.Dirty.ShouldBeFalse();
        state.BeginSave().ShouldBeFalse();

        state.Open(new FileContent("/big.log", null, false, true, 9_000_000, DateTimeOffset.UnixEpoch, "v"));
        state.IsText.ShouldBeFalse();
        state.TooLarge.ShouldBeTrue();
    }

    [Fact]
    public void Save_OneAtATime_NewVersionAndCleanAfterwards()
    {
        var state = Opened();
        state.Edited(true);

        state.BeginSave().ShouldBeTrue();
        state.BeginSave().ShouldBeFalse();
        state.Saved("v2", stillDirty: false).ShouldBeFalse();

        state.Version.ShouldBe("v2");
        state.Dirty.ShouldBeFalse();
        state.Saving.ShouldBeFalse();
    }

    [Fact]
    public void DiskChange_CleanEditor_ReloadsSilently()
    {
        var state = Opened();

        state.Changed("/src/a.cs").ShouldBeTrue();
        state.OnDisk("v2").ShouldBe(DiskChangeAction.Reload);
        state.Conflict.ShouldBe(EditorConflict.None);
    }

    [Fact]
    public void DiskChange_SameVersion_Nothing()
    {
        var state = Opened();

        state.OnDisk("v1").ShouldBe(DiskChangeAction.None);
    }

    [Fact]
    public void DiskChange_OtherFile_NotChecked()
    {
        Opened().Changed("/src/b.cs").ShouldBeFalse();
    }

    [Fact]
    public void DiskChange_DirtyEditor_Conflict()
    {
        var state = Opened();
        state.Edited(true);

        state.OnDisk("v2").ShouldBe(DiskChangeAction.ShowConflict);
        state.Conflict.ShouldBe(EditorConflict.ChangedOnDisk);
    }

    [Fact]
    public void DiskChange_Deleted_ConflictEvenWhenClean()
    {
        var state = Opened();

        state.OnDisk(null).ShouldBe(DiskChangeAction.ShowConflict);
        state.Conflict.ShouldBe(EditorConflict.Deleted);
    }

    [Fact]
    public void DiskChange_DuringSave_CheckedWhenTheSaveAnswers()
    {
        var state = Opened();
        state.Edited(true);
        state.BeginSave();

        state.Changed("/src/a.cs").ShouldBeFalse(); // probably the save's own write: not read now
        state.Saved("v2", stillDirty: false).ShouldBeTrue(); // but read once the save answered
        state.OnDisk("v2").ShouldBe(DiskChangeAction.None); // it was
    }

    [Fact]
    public void SaveConflicted_ThenOverwrite_NextSaveSendsNoVersion()
    {
        var state = Opened();
        state.Edited(true);
        state.BeginSave();

        state.SaveConflicted();
        state.Conflict.ShouldBe(EditorConflict.ChangedOnDisk);
        state.Dirty.ShouldBeTrue();

        state.KeepMine();
        state.Conflict.ShouldBe(EditorConflict.None);
        state.Version.ShouldBeNull();
        state.BeginSave().ShouldBeTrue();
    }

    [Fact]
    public void SaveFailed_StaysDirtyAndCanSaveAgain()
    {
        var state = Opened();
        state.Edited(true);
        state.BeginSave();

        state.SaveFailed();

        state.Dirty.ShouldBeTrue();
        state.Version.ShouldBe("v1");
        state.BeginSave().ShouldBeTrue();
    }

    [Fact]
    public void Saved_TypedDuringSave_StaysDirty()
    {
        var state = Opened();
        state.Edited(true);
        state.BeginSave();

        state.Saved("v2", stillDirty: true);

        state.Dirty.ShouldBeTrue();
    }

    [Fact]
    public void Moved_FollowsItsFile()
    {
        var state = Opened();

        state.Moved("lib/a.cs");

        state.Path.ShouldBe("/lib/a.cs");
        state.Changed("/lib/a.cs").ShouldBeTrue();
    }
}
