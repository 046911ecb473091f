using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Components.Pages.Launch;

namespace RemoltBlazor.Web.Tests.Components.Pages.Launch;

/// <summary>The launch page while the agent's image is being built: progress, the log's tail, Cancel, and the error.</summary>
public sealed class LaunchPageImageBuildTests
{
    [Fact]
    public async Task Launch_ImageMissing_ShowsBarStepLogAndCancelThenOpensTheSession()
    {
        var builder = new FakeImageBuilder();
        await using var ctx = await ComponentTestContext.CreateAsync(services: s => s.AddSingleton<ISandboxImageBuilder>(builder));
        var cut = Render(ctx);

        var launching = cut.Find("#launch").ClickAsync(new());
        await builder.Waiting.Task.WaitAsync(ComponentTestContext.Timeout);
        await UntilAsync(ctx, cut, () => cut.FindAll("[data-testid=image-build-log]").Any(l => l.TextContent.Contains("about to wait")));

        var panel = cut.Find("[data-testid=image-build]");
        panel.GetAttribute("data-state").ShouldBe("running");
        panel.TextContent.ShouldContain("remolt-claude-code");
        cut.Find("[data-testid=image-build-bar]").GetAttribute("aria-valuenow").ShouldBe("33"); // 1 of 3 steps done
        cut.Find("[data-testid=image-build-step]").TextContent.Trim().ShouldBe("Step 2 of 3: RUN install");
        cut.Find("[data-testid=image-build-log]").TextContent.ShouldBe("hello from the build\nabout to wait");
        cut.Find("[data-testid=image-build-cancel]").TextContent.Trim().ShouldBe("Cancel build");
        cut.Find("[data-testid=image-build-title]").TextContent.ShouldBe("Preparing the sandbox for this agent");
        ctx.Runtime.CreateCalls.ShouldBe(0);

        builder.Release.SetResult();
        await launching.WaitAsync(ComponentTestContext.Timeout);

        var session = ctx.Sessions.ListRunning("anonymous").ShouldHaveSingleItem();
        ctx.Services.GetRequiredService<BunitNavigationManager>().Uri.ShouldEndWith($"/session/{session.Id}");
        cut.FindAll("[data-testid=image-build]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Launch_BuildFails_ShowsTheErrorAndTheFailingStepsOutput()
    {
        var builder = new FakeImageBuilder
        {
            Failure = new ImageBuildException("Building the sandbox image 'remolt-claude-code' failed at Step 2/3 : RUN install: exit 3.",
                "Step 2/3 : RUN install", ["about to fail"]),
        };
        await using var ctx = await ComponentTestContext.CreateAsync(services: s => s.AddSingleton<ISandboxImageBuilder>(builder));
        var cut = Render(ctx);

        var launching = cut.Find("#launch").ClickAsync(new());
        await builder.Waiting.Task.WaitAsync(ComponentTestContext.Timeout);
        builder.Release.SetResult();
        await launching.WaitAsync(ComponentTestContext.Timeout);

        cut.Find("[data-testid=image-build]").GetAttribute("data-state").ShouldBe("failed");
        var error = cut.Find("[data-testid=image-build-error]");
        error.GetAttribute("role").ShouldBe("alert");
        error.TextContent.ShouldContain("failed at Step 2/3 : RUN install");
        cut.Find("[data-testid=image-build-failed-output]").TextContent.ShouldBe("about to fail");
        cut.FindAll("[data-testid=image-build-cancel]").ShouldBeEmpty();
        ctx.Sessions.ListRunning("anonymous").ShouldBeEmpty();
        ctx.Services.GetRequiredService<BunitNavigationManager>().Uri.ShouldNotContain("/session/");
        cut.Find("#launch").HasAttribute("disabled").ShouldBeFalse(); // try again after fixing it
    }

    [Fact]
    public async Task CancelButton_RunningBuild_StopsItAndSaysSo()
    {
        var builder = new FakeImageBuilder();
        await using var ctx = await ComponentTestContext.CreateAsync(services: s => s.AddSingleton<ISandboxImageBuilder>(builder));
        var cut = Render(ctx);

        var launching = cut.Find("#launch").ClickAsync(new());
        await builder.Waiting.Task.WaitAsync(ComponentTestContext.Timeout);
        // The panel may render again between finding the button and clicking it (progress arrives meanwhile): click the current one.
        await Poll.UntilAsync(async () =>
        {
            try
            {
                await cut.Find("[data-testid=image-build-cancel]").ClickAsync(new());
                return true;
            }
            catch (Exception ex) when (ex is Bunit.Rendering.UnknownEventHandlerIdException or ElementNotFoundException)
            {
                return false;
            }
        }, ComponentTestContext.Timeout);
        await launching.WaitAsync(ComponentTestContext.Timeout);

        builder.Cancelled.ShouldBe(1);
        cut.Find("[data-testid=image-build]").GetAttribute("data-state").ShouldBe("cancelled");
        cut.Find("[data-testid=image-build-error]").TextContent.ShouldContain("was cancelled");
        ctx.Runtime.CreateCalls.ShouldBe(0);
    }

    private static IRenderedComponent<LaunchPage> Render(ComponentTestContext ctx)
    {
        var cut = ctx.Render<LaunchPage>();
        cut.WaitForAssertion(() => cut.Find("[data-agent] input").Matches(":disabled").ShouldBeFalse(), ComponentTestContext.Timeout);
        return cut;
    }

    /// <summary>Progress renders at a paced rate on the page's clock: the fake clock moves on until the page shows it.</summary>
    private static Task UntilAsync(ComponentTestContext ctx, IRenderedComponent<LaunchPage> cut, Func<bool> shown) =>
        Poll.UntilAsync(() =>
        {
            ctx.Time.Advance(TimeSpan.FromMilliseconds(200));
            return cut.InvokeAsync(shown).GetAwaiter().GetResult();
        }, ComponentTestContext.Timeout);
}
