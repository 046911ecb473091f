using Bunit;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Components.Pages.Workspace;

namespace RemoltBlazor.Web.Tests.Components.Pages.Workspace;

/// <summary>The bar's status: uptime and the reap countdown tick on the clock; Keep alive only for an idle reap.</summary>
public sealed class WorkspaceStatusTests
{
    [Fact]
    public async Task IdleReapNear_CountdownTicksAndKeepAliveIsOffered()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var now = ctx.Time.GetUtcNow();
        var keptAlive = 0;
        var cut = ctx.Render<WorkspaceStatus>(p => p
            .Add(s => s.CreatedAt, now.AddSeconds(-125))
            .Add(s => s.EndingSoon, new SessionEndingSoon("abc", now.AddSeconds(245), "idle"))
            .Add(s => s.OnKeepAlive, () => keptAlive++));

        cut.Find("[data-testid=session-state]").TextContent.Trim().ShouldBe("Running");
        cut.Find("[data-testid=uptime]").TextContent.Trim().ShouldBe("2m 05s");
        cut.Find("[data-testid=idle-countdown]").TextContent.Trim().ShouldBe("Ends in 4:05");

        await ctx.Time.NextTimerAsync();
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => cut.Find("[data-testid=idle-countdown]").TextContent.Trim().ShouldBe("Ends in 4:04"), ComponentTestContext.Timeout);
        cut.Find("[data-testid=uptime]").TextContent.Trim().ShouldBe("2m 06s");
        await cut.Find("#keep-alive-chip").ClickAsync(new());
        keptAlive.ShouldBe(1);
    }

    [Fact]
    public async Task Ended_SaysSoAndHidesUptimeAndCountdown()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var now = ctx.Time.GetUtcNow();
        var cut = ctx.Render<WorkspaceStatus>(p => p
            .Add(s => s.CreatedAt, now)
            .Add(s => s.EndedReason, "idle")
            .Add(s => s.EndingSoon, new SessionEndingSoon("abc", now.AddSeconds(30), "lifetime")));

        cut.Find("[data-testid=session-state]").TextContent.Trim().ShouldBe("Ended");
        cut.FindAll("[data-testid=uptime], [data-testid=idle-countdown], #keep-alive-chip").ShouldBeEmpty();
    }
}
