using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Components.Pages.Launch;
using RemoltBlazor.Web.Components.Pages.Workspace;

namespace RemoltBlazor.Web.Tests.Pages;

public sealed class WorkspaceViewLogicTests
{
    [Fact]
    public void Add_UntilFull_OpensWindowsOneToFourThenStops()
    {
        var tabs = new WorkspaceTabs();

        var added = Enumerable.Range(0, 6).Select(_ => tabs.Add()).ToList();

        added.ShouldBe([1, 2, 3, 4, null, null]);
        tabs.Windows.ShouldBe([0, 1, 2, 3, 4]);
        tabs.Active.ShouldBe(4);
        tabs.CanAdd.ShouldBeFalse();
    }

    [Fact]
    public void Close_ActiveMiddleTab_ActivatesLeftNeighbourAndReusesTheGap()
    {
        var tabs = new WorkspaceTabs();
        tabs.Restore(3);
        tabs.Activate(1);

        tabs.Close(1).ShouldBeTrue();

        tabs.Active.ShouldBe(0);
        tabs.Windows.ShouldBe([0, 2]);
        tabs.Add().ShouldBe(1);
    }

    [Fact]
    public void Close_LastTab_IsRefused()
    {
        var tabs = new WorkspaceTabs();

        tabs.Close(0).ShouldBeFalse();

        tabs.Windows.ShouldBe([0]);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 3)]
    [InlineData(99, 5)]
    public void Restore_ServerCount_OpensThatManyWithinLimits(int count, int expected)
    {
        var tabs = new WorkspaceTabs();

        tabs.Restore(count);

        tabs.Windows.Count.ShouldBe(expected);
        tabs.Active.ShouldBe(0);
    }

    [Fact]
    public void Next_ManyFailures_FollowsOneTwoFourEightSixteenThenSixteen()
    {
        var backoff = new ReconnectBackoff();

        var delays = Enumerable.Range(0, 7).Select(_ => (int)backoff.Next().TotalSeconds).ToList();

        delays.ShouldBe([1, 2, 4, 8, 16, 16, 16]);
        backoff.Reset();
        backoff.Next().ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Warning_IdleDeadlineMinutesAway_SaysRoughlyWhen()
    {
        var now = DateTimeOffset.UnixEpoch;

        SessionEndText.Warning(new SessionEndingSoon("s", now.AddMinutes(4.5), "idle"), now).ShouldContain("in about 5 minutes");
        SessionEndText.Warning(new SessionEndingSoon("s", now.AddSeconds(30), "lifetime"), now).ShouldContain("maximum lifetime");
        SessionEndText.For("sandbox_exited").ShouldBe("its sandbox stopped");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Parse_UnreadableStoredPrefs_GivesEmptyPrefs(string? stored)
    {
        var prefs = LaunchPrefs.Parse(stored);

        prefs.GitUserName.ShouldBeNull();
        prefs.AgentType.ShouldBeNull();
    }

    [Fact]
    public void Parse_OriginalFrontendPrefs_RoundTrips()
    {
        var prefs = LaunchPrefs.Parse("""{"gitUserName":"Ada","gitUserEmail":"ada@example.com","agentType":"codex"}""");

        prefs.GitUserName.ShouldBe("Ada");
        prefs.AgentType.ShouldBe("codex");
        LaunchPrefs.Parse(prefs.ToJson()).GitUserEmail.ShouldBe("ada@example.com");
        prefs.Validate().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"session_id":"abc","ws_url":"/ws/terminal/abc"}""", "abc")]
    [InlineData("""{"session_id":5}""", null)]
    [InlineData("[]", null)]
    [InlineData("{broken", null)]
    [InlineData(null, null)]
    public void ReadId_StoredSession_ReadsOnlyAWellFormedId(string? json, string? expected)
    {
        StoredSession.ReadId(json).ShouldBe(expected);
    }

    [Fact]
    public void Validate_BadEmail_ReportsIt()
    {
        new LaunchPrefs { GitUserEmail = "not an email" }.Validate().ShouldHaveSingleItem().ShouldContain("email");
    }
}
