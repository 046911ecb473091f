using Bunit;
using RemoltBlazor.Web.Components.Pages.Workspace;

namespace RemoltBlazor.Web.Tests.Components.Pages.Workspace;

public sealed class LogsPaneTests
{
    [Fact]
    public async Task Render_OpensTheSessionsLogSocketInAReadOnlyTerminal_AndDisposeClosesIt()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var logs = ctx.JSInterop.SetupModule("./js/logs.js");

        var cut = ctx.Render<LogsPane>(p => p.Add(l => l.SessionId, "abc123"));

        cut.Find("[data-testid=logs-view]");
        logs.VerifyInvoke("create").Arguments[1].ShouldBe("/ws/logs/abc123");
        await ctx.DisposeComponentsAsync();
        logs.VerifyInvoke("dispose");
    }
}
