using System.Text;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Components.Layout;
using RemoltBlazor.Web.Components.Pages.Workspace;

namespace RemoltBlazor.Web.Tests.Pages;

/// <summary>The IDE's view logic: tab names, tab keys, times, key bar bytes, preferences and the theme choice.</summary>
public sealed class WorkspaceUiLogicTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rename_TrimsCapsAndBlankRestoresDefault_AndLabelsRoundTrip()
    {
        var tabs = new WorkspaceTabs();
        tabs.Restore(3);

        tabs.Rename(1, "  build\n ").ShouldBeTrue();
        tabs.Rename(2, new string('x', 50)).ShouldBeTrue();
        tabs.Rename(1, "build").ShouldBeFalse();

        tabs.LabelOf(0).ShouldBe("Term 1");
        tabs.LabelOf(1).ShouldBe("build");
        tabs.LabelOf(2).Length.ShouldBe(WorkspaceTabs.MaxLabelLength);
        var restored = new WorkspaceTabs();
        restored.RestoreLabels(tabs.LabelsJson());
        restored.LabelOf(1).ShouldBe("build");
        restored.LabelOf(2).ShouldBe(tabs.LabelOf(2));

        tabs.Rename(1, "   ").ShouldBeTrue();
        tabs.LabelOf(1).ShouldBe("Term 2");
        WorkspaceTabs.LabelsStorageKey("abc").ShouldBe("remolt:tabs:abc");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"9":"far","x":"junk","0":""}""")]
    public void RestoreLabels_Junk_KeepsDefaults(string json)
    {
        var tabs = new WorkspaceTabs();

        tabs.RestoreLabels(json);

        tabs.LabelOf(0).ShouldBe("Term 1");
        tabs.LabelsJson().ShouldBe("{}");
    }

    [Theory]
    [InlineData("term-0", "ArrowRight", "term-1", false, false)]
    [InlineData("service-vscode", "ArrowRight", "term-0", false, false)]
    [InlineData("term-0", "ArrowLeft", "service-vscode", false, false)]
    [InlineData("term-1", "Home", "term-0", false, false)]
    [InlineData("term-0", "End", "service-vscode", false, false)]
    [InlineData("term-1", "Enter", "term-1", false, false)]
    [InlineData("term-1", "Delete", null, true, false)]
    [InlineData("term-1", "F2", null, false, true)]
    public void TabKey_Keys_MoveCloseOrRename(string current, string key, string? moveTo, bool close, bool rename)
    {
        string[] order = ["term-0", "term-1", "service-logs", "service-vscode"];

        var action = WorkspaceTabKey.For(order, current, key);

        action.ShouldBe(new WorkspaceTabKey(moveTo, close, rename));
    }

    [Fact]
    public void TabKey_OtherKeyOrUnknownTab_IsLeftToTheBrowser()
    {
        WorkspaceTabKey.For(["term-0"], "term-0", "a").ShouldBeNull();
        WorkspaceTabKey.For(["term-0"], "term-9", "ArrowRight").ShouldBeNull();
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(42, "42s")]
    [InlineData(307, "5m 07s")]
    [InlineData(11100, "3h 05m")]
    [InlineData(187200, "2d 4h")]
    [InlineData(-5, "0s")]
    public void Uptime_Durations_TwoUnitsAtMost(int seconds, string expected) =>
        TimeText.Uptime(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);

    [Theory]
    [InlineData(10, "just now")]
    [InlineData(120, "2 min ago")]
    [InlineData(3599, "60 min ago")]
    [InlineData(7300, "2 h ago")]
    [InlineData(90000, "1 day ago")]
    [InlineData(300000, "3 days ago")]
    public void Ago_LastActivity_Words(int secondsAgo, string expected) =>
        TimeText.Ago(s_now.AddSeconds(-secondsAgo), s_now).ShouldBe(expected);

    [Theory]
    [InlineData(245, "4:05")]
    [InlineData(8.2, "0:09")]
    [InlineData(0, "0:00")]
    [InlineData(-3, "0:00")]
    public void Countdown_TimeLeft_MinutesSecondsRoundedUp(double seconds, string expected) =>
        TimeText.Countdown(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);

    [Theory]
    [InlineData(TerminalKey.Escape, "\u001b")]
    [InlineData(TerminalKey.Tab, "\t")]
    [InlineData(TerminalKey.Up, "\u001b[A")]
    [InlineData(TerminalKey.Down, "\u001b[B")]
    [InlineData(TerminalKey.Right, "\u001b[C")]
    [InlineData(TerminalKey.Left, "\u001b[D")]
    [InlineData(TerminalKey.TmuxPrefix, "\u0002")]
    public void KeyBar_Keys_SendXtermBytes(TerminalKey key, string expected) =>
        Text(new TerminalViewKeys().Press(key)).ShouldBe(expected);

    [Fact]
    public void KeyBar_StickyCtrlAndAlt_ApplyToTheNextKeyOnly()
    {
        var keys = new TerminalViewKeys();

        keys.ToggleCtrl();
        keys.Armed.ShouldBeTrue();
        Text(keys.Modify("c")).ShouldBe("\u0003");
        keys.Armed.ShouldBeFalse();
        Text(keys.Modify("c")).ShouldBe("c");

        keys.ToggleCtrl();
        Text(keys.Press(TerminalKey.Left)).ShouldBe("\u001b[1;5D");
        keys.ToggleAlt();
        Text(keys.Modify("f")).ShouldBe("\u001bf");
        keys.ToggleAlt();
        keys.ToggleCtrl();
        Text(keys.Modify("X")).ShouldBe("\u001b\u0018");
        keys.ToggleAlt();
        Text(keys.Press(TerminalKey.Up)).ShouldBe("\u001b[1;3A");
        keys.ToggleCtrl();
        keys.ToggleCtrl();
        keys.Armed.ShouldBeFalse(); // a second tap lets go
        keys.ToggleCtrl();
        Text(keys.Modify("[")).ShouldBe("\u001b");
        keys.ToggleCtrl();
        Text(keys.Modify("é")).ShouldBe("é"); // nothing to control: sent as typed
    }

    [Fact]
    public void Preferences_ParseClampsAndDefaults_ZoomStaysInRange()
    {
        var prefs = TerminalViewPreferences.Parse("""{"fontSize":99,"copyOnSelect":false,"renderer":"vulkan"}""");

        prefs.FontSize.ShouldBe(TerminalViewPreferences.MaxFontSize);
        prefs.CopyOnSelect.ShouldBeFalse();
        prefs.Renderer.ShouldBe("auto");
        TerminalViewPreferences.Parse("nope").ShouldBe(new TerminalViewPreferences());
        TerminalViewPreferences.Parse(null).FontSize.ShouldBe(14);
        new TerminalViewPreferences().Zoom(-100).FontSize.ShouldBe(TerminalViewPreferences.MinFontSize);
        TerminalViewPreferences.Parse(new TerminalViewPreferences { Renderer = "dom" }.Zoom(2).ToJson())
            .ShouldBe(new TerminalViewPreferences { Renderer = "dom", FontSize = 16 });
        new TerminalViewPreferences().ToJson().ShouldBe("""{"fontSize":14,"copyOnSelect":true,"renderer":"auto"}""");
    }

    [Fact]
    public void Theme_SystemFollowsTheBrowserUntilToggled()
    {
        var theme = new ThemeState(ThemeState.Parse(null));
        var changes = 0;
        theme.Changed += () => changes++;

        theme.IsDark.ShouldBeTrue(); // the server's guess before the browser says
        theme.SetSystemDark(false);
        theme.IsDark.ShouldBeFalse();
        theme.Toggle();
        theme.Mode.ShouldBe(ThemeMode.Dark);
        theme.SetSystemDark(false); // no longer matters
        theme.IsDark.ShouldBeTrue();
        changes.ShouldBe(2);

        ThemeState.Parse("light").ShouldBe(ThemeMode.Light);
        ThemeState.Parse("<script>").ShouldBe(ThemeMode.System);
        ThemeState.CookieValue(ThemeMode.Dark).ShouldBe("dark");
        ThemeState.CookieValue(ThemeMode.System).ShouldBeNull();
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
