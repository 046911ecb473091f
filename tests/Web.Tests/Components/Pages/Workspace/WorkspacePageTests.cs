using System.Text.Json;
using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Components.Pages.Workspace;

namespace RemoltBlazor.Web.Tests.Components.Pages.Workspace;

public sealed class WorkspacePageTests
{
    [Theory]
    [InlineData("not-a-session-id", "This session does not exist or has ended.")]
    [InlineData("0123456789abcdef0123456789abcdef", "This session does not exist or has ended.")]
    public async Task Render_NoSuchSession_SaysItIsNotAvailable(string id, string reason)
    {
        await using var ctx = await ComponentTestContext.CreateAsync();

        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, id));

        cut.Find("h1").TextContent.ShouldBe("Session not available");
        cut.Markup.ShouldContain(reason);
        ctx.Attacher.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Render_SomeoneElsesSession_ReadsLikeAnUnknownId()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var theirs = await ctx.Sessions.CreateAsync("bob", new CreateSessionRequest(), CancellationToken.None).WaitAsync(ComponentTestContext.Timeout);

        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, theirs.Id));
        var unknown = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, SessionIds.New()));

        cut.Find("h1").TextContent.ShouldBe("Session not available");
        cut.Markup.ShouldContain("This session does not exist or has ended.");
        cut.Find(".mud-container").TextContent.ShouldBe(unknown.Find(".mud-container").TextContent);
        ctx.Attacher.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Render_SessionWithThreeTmuxSessions_RestoresThreeTerminalTabsAndStoresTheSession()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        ctx.Runtime.TmuxSessions = ["main", "main-1", "main-2"];
        var session = await ctx.CreateSessionAsync();

        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, session.Id));

        TerminalTabs(cut).Select(t => t.GetAttribute("data-window")).ShouldBe(["0", "1", "2"]);
        Selected(cut).ShouldBe("window 0");
        cut.FindAll("[data-session-id]").Select(v => v.GetAttribute("data-window")).ShouldBe(["0", "1", "2"]);
        cut.WaitForAssertion(() => ctx.Attacher.Calls.Select(c => c.Options.Window).Order().ShouldBe([0, 1, 2]), ComponentTestContext.Timeout);
        var stored = ctx.JSInterop.VerifyInvoke("localStorage.setItem").Arguments;
        stored[0].ShouldBe(WorkspacePage.SessionStorageKey);
        JsonDocument.Parse((string)stored[1]!).RootElement.GetProperty("session_id").GetString().ShouldBe(session.Id);
    }

    [Fact]
    public async Task AddTerminal_OpensTheNextWindowAndShowsIt()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var session = await ctx.CreateSessionAsync();
        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, session.Id));

        await cut.Find("#add-terminal").ClickAsync(new());

        TerminalTabs(cut).Select(t => t.GetAttribute("data-window")).ShouldBe(["0", "1"]);
        Selected(cut).ShouldBe("window 1");
        cut.WaitForAssertion(() => ctx.Attacher.Calls.Select(c => c.Options.Window).Order().ShouldBe([0, 1]), ComponentTestContext.Timeout);
    }

    [Fact]
    public async Task ServiceTabs_AgentWithLogsAndDashboard_MountEachWhenFirstShown()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var session = await ctx.CreateSessionAsync("openclaw");
        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, session.Id));
        cut.FindAll("[role=tab][data-service]").Select(t => t.GetAttribute("data-service")).ShouldBe(["files", "logs", "dashboard", "vscode"]);
        cut.FindAll("[data-testid=logs-view], iframe").ShouldBeEmpty();

        await ServiceTab(cut, "logs").QuerySelector("button")!.ClickAsync(new());

        Selected(cut).ShouldBe("service logs");
        cut.Find("[data-testid=logs-view]");
        ctx.JSInterop.Invocations.ShouldContain(i => i.Identifier == "import" && (string?)i.Arguments[0] == "./js/logs.js");
        ctx.JSInterop.Invocations.ShouldContain(i => i.Identifier == "create" && i.Arguments.Contains($"/ws/logs/{session.Id}"));

        await ServiceTab(cut, "dashboard").QuerySelector("button")!.ClickAsync(new());

        Selected(cut).ShouldBe("service dashboard");
        cut.Find("iframe").GetAttribute("src").ShouldBe($"/proxy/{session.Id}/#token=sandbox");
        cut.FindAll("[data-testid=logs-view]").Count.ShouldBe(1); // hidden, still mounted
    }

    [Fact]
    public async Task SessionEnds_ShowsWhyAndDisablesEnd()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var session = await ctx.CreateSessionAsync();
        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, session.Id));

        (await ctx.Sessions.EndAsync(session, "idle", CancellationToken.None).WaitAsync(ComponentTestContext.Timeout)).ShouldBeTrue();

        var ended = cut.WaitForElement("[data-testid=session-ended]", ComponentTestContext.Timeout);
        ended.GetAttribute("role").ShouldBe("alert");
        ended.TextContent.ShouldContain("This session has ended: idle for too long.");
        cut.Find("#end-session").HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public async Task IdleWarning_KeepAlive_DismissesIt()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var session = await ctx.CreateSessionAsync();
        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, session.Id));

        ctx.Services.GetRequiredService<SessionNotices>().Publish(new SessionEndingSoon(session.Id, ctx.Time.GetUtcNow().AddMinutes(4.5), "idle"));

        var warning = cut.WaitForElement("[data-testid=ending-soon]", ComponentTestContext.Timeout);
        warning.TextContent.ShouldContain("it will be ended in about 5 minutes");
        await cut.Find("#keep-alive").ClickAsync(new());
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=ending-soon]").ShouldBeEmpty(), ComponentTestContext.Timeout);
    }

    [Fact]
    public async Task LifetimeWarning_HasNoKeepAlive()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var session = await ctx.CreateSessionAsync();
        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, session.Id));

        ctx.Services.GetRequiredService<SessionNotices>().Publish(new SessionEndingSoon(session.Id, ctx.Time.GetUtcNow().AddSeconds(30), "lifetime"));

        cut.WaitForElement("[data-testid=ending-soon]", ComponentTestContext.Timeout).TextContent
            .ShouldContain("This session reaches its maximum lifetime and ends in less than a minute.");
        cut.FindAll("#keep-alive").ShouldBeEmpty();
    }

    [Fact]
    public async Task EndSession_EndsItForgetsItAndGoesHome()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var session = await ctx.CreateSessionAsync();
        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, session.Id));

        await ctx.ClickEndAndAnswerAsync(cut.Find("#end-session"), confirm: true);

        ctx.Sessions.ListRunning("anonymous").ShouldBeEmpty();
        ctx.JSInterop.VerifyInvoke("localStorage.removeItem").Arguments.ShouldBe([WorkspacePage.SessionStorageKey]);
        var navigation = ctx.Services.GetRequiredService<BunitNavigationManager>();
        navigation.Uri.ShouldBe(navigation.BaseUri);
    }

    [Fact]
    public async Task EndSession_Cancelled_KeepsTheSessionAndThePage()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var session = await ctx.CreateSessionAsync();
        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, session.Id));

        await ctx.ClickEndAndAnswerAsync(cut.Find("#end-session"), confirm: false);

        ctx.Sessions.ListRunning("anonymous").ShouldHaveSingleItem().Id.ShouldBe(session.Id);
        ctx.JSInterop.Invocations.ShouldNotContain(i => i.Identifier == "localStorage.removeItem");
        cut.Find("#end-session").HasAttribute("disabled").ShouldBeFalse();
    }

    [Fact]
    public async Task Dispose_DetachesEveryTerminal()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        ctx.Runtime.TmuxSessions = ["main", "main-1"];
        var session = await ctx.CreateSessionAsync();
        var cut = ctx.Render<WorkspacePage>(p => p.Add(w => w.Id, session.Id));
        cut.WaitForAssertion(() => ctx.Streams.Count.ShouldBe(2), ComponentTestContext.Timeout);

        await ctx.DisposeComponentsAsync();

        ctx.Streams.ShouldAllBe(s => s.IsDisposed);
    }

    private static List<IElement> TerminalTabs(IRenderedComponent<WorkspacePage> cut) => [.. cut.FindAll("[role=tab][data-window]")];

    private static IElement ServiceTab(IRenderedComponent<WorkspacePage> cut, string key) => cut.Find($"[role=tab][data-service={key}]");

    /// <summary>The one selected tab, as "window N" or "service KEY"; every other tab says it is not selected.</summary>
    private static string Selected(IRenderedComponent<WorkspacePage> cut)
    {
        var tabs = cut.FindAll("[role=tab]");
        tabs.Select(t => t.GetAttribute("aria-selected")).ShouldAllBe(s => s == "true" || s == "false");
        var tab = tabs.Single(t => t.GetAttribute("aria-selected") == "true");
        return tab.HasAttribute("data-window") ? $"window {tab.GetAttribute("data-window")}" : $"service {tab.GetAttribute("data-service")}";
    }
}
