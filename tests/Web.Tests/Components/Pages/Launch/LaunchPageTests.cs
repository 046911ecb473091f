using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Web.Components.Pages.Launch;

namespace RemoltBlazor.Web.Tests.Components.Pages.Launch;

public sealed class LaunchPageTests
{
    [Fact]
    public async Task Render_NoStoredPrefs_OffersEveryAgentWithTheDefaultChosen()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();

        var cut = RenderInteractive(ctx);

        cut.FindAll("[data-agent]").Select(r => r.GetAttribute("data-agent")).Order()
            .ShouldBe(ctx.Agents.All.Select(a => a.Id).Order());
        Chosen(cut).ShouldBe("claude-code");
        cut.Find("#launch").HasAttribute("disabled").ShouldBeFalse();
        cut.FindAll("[data-testid=running-session]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Render_StoredPrefs_RestoresAgentAndGitIdentity()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        ctx.JSInterop.Setup<string?>("localStorage.getItem", LaunchPrefs.StorageKey)
            .SetResult("""{"gitUserName":"Ada","gitUserEmail":"ada@example.com","agentType":"codex"}""");

        var cut = RenderInteractive(ctx);

        Chosen(cut).ShouldBe("codex");
        cut.Find("#git-name").GetAttribute("value").ShouldBe("Ada");
        cut.Find("#git-email").GetAttribute("value").ShouldBe("ada@example.com");
    }

    [Fact]
    public async Task Launch_ChosenAgent_CreatesSessionStoresPrefsAndOpensIt()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var cut = RenderInteractive(ctx);

        cut.Find("[data-agent=codex] input").Click(); // a MudRadio answers clicks
        cut.Find("#git-name").Change("Ada");
        await cut.Find("#launch").ClickAsync(new());

        var session = ctx.Sessions.ListRunning("anonymous").ShouldHaveSingleItem();
        session.AgentId.ShouldBe("codex");
        ctx.Services.GetRequiredService<BunitNavigationManager>().Uri.ShouldEndWith($"/session/{session.Id}");
        var stored = ctx.JSInterop.VerifyInvoke("localStorage.setItem").Arguments;
        stored[0].ShouldBe(LaunchPrefs.StorageKey);
        LaunchPrefs.Parse((string?)stored[1]).GitUserName.ShouldBe("Ada");
    }

    [Fact]
    public async Task Launch_BadEmail_ShowsTheErrorAndCreatesNothing()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var cut = RenderInteractive(ctx);

        cut.Find("#git-email").Change("not an email");
        await cut.Find("#launch").ClickAsync(new());

        cut.Find("[role=alert]").TextContent.ShouldBe("Git email does not look like an email address.");
        ctx.Runtime.CreateCalls.ShouldBe(0);
    }

    [Fact]
    public async Task Launch_UserLimitReached_ShowsWhy()
    {
        await using var ctx = await ComponentTestContext.CreateAsync(new Dictionary<string, string?> { ["REMOLT_MAX_USER_SESSIONS"] = "1" });
        await ctx.CreateSessionAsync();
        var cut = RenderInteractive(ctx);

        await cut.Find("#launch").ClickAsync(new());

        cut.Find("[role=alert]").TextContent.ShouldBe("Max 1 sessions per user");
        cut.FindAll("[data-testid=running-session]").Count.ShouldBe(1);
    }

    [Fact]
    public async Task Render_RunningSessions_ListsThemAndMarksTheLastUsed()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var first = await ctx.CreateSessionAsync();
        var last = await ctx.CreateSessionAsync("codex");
        ctx.JSInterop.Setup<string?>("localStorage.getItem", StoredSession.StorageKey).SetResult($$"""{"session_id":"{{last.Id}}"}""");

        var cut = RenderInteractive(ctx);

        var items = cut.FindAll("[data-testid=running-session]");
        items.Count.ShouldBe(2);
        var marked = items.Single(i => i.TextContent.Contains("last used", StringComparison.Ordinal));
        marked.TextContent.ShouldContain("Codex");
        marked.QuerySelector("a")!.GetAttribute("href").ShouldBe($"session/{last.Id}");
        items.Single(i => i != marked).QuerySelector("a")!.GetAttribute("href").ShouldBe($"session/{first.Id}");
        ctx.JSInterop.VerifyNotInvoke("localStorage.removeItem");
    }

    [Fact]
    public async Task Render_StoredSessionNoLongerRunning_IsForgotten()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        ctx.JSInterop.Setup<string?>("localStorage.getItem", StoredSession.StorageKey).SetResult("""{"session_id":"0123456789abcdef"}""");

        var cut = RenderInteractive(ctx);

        ctx.JSInterop.VerifyInvoke("localStorage.removeItem").Arguments.ShouldBe([StoredSession.StorageKey]);
        cut.Markup.ShouldNotContain("last used");
    }

    [Fact]
    public async Task End_RunningSession_EndsItAndDropsItFromTheList()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        await ctx.CreateSessionAsync();
        var cut = RenderInteractive(ctx);

        var end = cut.Find("[data-testid=running-session]").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "End");
        await ctx.ClickEndAndAnswerAsync(end, confirm: true);

        cut.FindAll("[data-testid=running-session]").ShouldBeEmpty();
        ctx.Sessions.ListRunning("anonymous").ShouldBeEmpty();
    }

    [Fact]
    public async Task Render_RuntimeUnavailable_SaysSoAndCannotLaunch()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        ctx.Runtime.Available = false;

        var cut = RenderInteractive(ctx);

        var missing = cut.Find("[data-testid=runtime-missing]");
        missing.GetAttribute("role").ShouldBe("alert");
        missing.TextContent.ShouldContain("No sandbox runtime is available");
        missing.TextContent.ShouldContain("fake runtime is down");
        cut.Find("[data-testid=runtime-remedy]").TextContent.ShouldBe("Start the fake runtime, then reload this page:"); // the runtime's own fix
        missing.QuerySelector("pre")!.TextContent.ShouldBe("fake-runtime --start");
        cut.Find("#launch").HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public async Task Render_NoRuntimeFoundAtAll_NamesBubblewrapAndTmuxOrDocker()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        ctx.Runtime.Available = false;
        ctx.Selection = RuntimeSelector.Select("auto", new RuntimeHostFacts(() => false, () => false, tool => tool == "tmux"));

        var cut = RenderInteractive(ctx);

        cut.Find("[data-testid=runtime-remedy]").TextContent.ShouldContain("Install bubblewrap and tmux to run sandboxes on this host (bwrap is missing)");
        cut.Find("[data-testid=runtime-missing] pre").TextContent.ShouldStartWith("sudo apt-get install -y bubblewrap tmux");
        cut.Find("#launch").HasAttribute("disabled").ShouldBeTrue();
    }

    /// <summary>The page after its first interactive render, when it has read localStorage and enabled the form.</summary>
    private static IRenderedComponent<LaunchPage> RenderInteractive(ComponentTestContext ctx)
    {
        var cut = ctx.Render<LaunchPage>();
        cut.WaitForAssertion(() => cut.Find("[data-agent] input").Matches(":disabled").ShouldBeFalse(), ComponentTestContext.Timeout);
        return cut;
    }

    private static string? Chosen(IRenderedComponent<LaunchPage> cut) =>
        cut.FindAll("[data-agent]").SingleOrDefault(a => a.QuerySelector("input")!.HasAttribute("checked"))?.GetAttribute("data-agent");
}
