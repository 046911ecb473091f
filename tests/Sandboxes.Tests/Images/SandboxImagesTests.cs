using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Images;

/// <summary>
/// The runtime-neutral seam with a controllable builder behind the fake runtime: one build per image shared by every
/// launch, waiters that leave, cancellation, failures, and REMOLT_BUILD_IMAGES=false.
/// </summary>
public sealed class SandboxImagesTests
{
    private static readonly TimeSpan s_timeout = SessionManagerHarness.Timeout;

    [Fact]
    public async Task CreateAsync_TwoLaunchesForAMissingImage_ShareOneBuildAndBothSeeItsProgress()
    {
        var (h, builder) = await StartAsync();
        await using var _ = h;
        var (images, agent, image) = Target(h);

        var first = await images.PrepareAsync(agent, image, "alice", CancellationToken.None);
        var second = await images.PrepareAsync(agent, image, "bob", CancellationToken.None);
        second.ShouldBeSameAs(first.ShouldNotBeNull());
        var seenByAlice = CollectAsync(first);
        var seenByBob = CollectAsync(second!);

        var alice = h.Manager.CreateAsync("alice", new CreateSessionRequest(agent.Id), CancellationToken.None);
        var bob = h.Manager.CreateAsync("bob", new CreateSessionRequest(agent.Id), CancellationToken.None);
        await builder.Waiting.Task.WaitAsync(s_timeout);
        alice.IsCompleted.ShouldBeFalse();
        h.Manager.LiveCount.ShouldBe(0); // a build is no session
        builder.Release.SetResult();
        await Task.WhenAll(alice, bob).WaitAsync(s_timeout);

        builder.Builds.ShouldBe(1);
        foreach (var seen in new[] { await seenByAlice, await seenByBob })
        {
            seen.ShouldContain(p => p.LogTail.Contains("hello from the build"));
            seen[^1].State.ShouldBe(ImageBuildState.Succeeded);
            seen[^1].Percent.ShouldBe(100);
        }

        (await images.PrepareAsync(agent, image, "carol", CancellationToken.None)).ShouldBeNull("built once, ready after");
        (await h.EventFieldsAsync("image.build_started")).ShouldHaveSingleItem().GetProperty("image").GetString().ShouldBe(image);
        (await h.EventFieldsAsync("image.build_finished")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task WaitAsync_OneWaiterLeaves_TheBuildGoesOnUntilTheLastLeaves()
    {
        var (h, builder) = await StartAsync();
        await using var _ = h;
        var (images, agent, image) = Target(h);
        var build = (await images.PrepareAsync(agent, image, "alice", CancellationToken.None)).ShouldNotBeNull();
        using var aliceLeaves = new CancellationTokenSource();
        using var bobLeaves = new CancellationTokenSource();
        var alice = build.WaitAsync(aliceLeaves.Token);
        var bob = build.WaitAsync(bobLeaves.Token);
        await builder.Waiting.Task.WaitAsync(s_timeout);

        await aliceLeaves.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(alice.WaitAsync(s_timeout));
        await Task.Delay(200);
        build.Progress.State.ShouldBe(ImageBuildState.Running);
        builder.Cancelled.ShouldBe(0);

        await bobLeaves.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(bob.WaitAsync(s_timeout));
        await Should.ThrowAsync<ImageBuildCancelledException>(build.Completion.WaitAsync(s_timeout));
        builder.Cancelled.ShouldBe(1);
        build.Progress.State.ShouldBe(ImageBuildState.Cancelled);
        (await h.EventFieldsAsync("image.build_cancelled")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Cancel_WhileLaunchesWait_FailsEachLaunchAndTakesNoSlot()
    {
        var (h, builder) = await StartAsync();
        await using var _ = h;
        var (images, agent, image) = Target(h);
        var launch = h.Manager.CreateAsync("alice", new CreateSessionRequest(agent.Id), CancellationToken.None);
        await builder.Waiting.Task.WaitAsync(s_timeout);

        images.Find(image).ShouldNotBeNull().Cancel();

        var error = await Should.ThrowAsync<SessionCreateException>(launch.WaitAsync(s_timeout));
        error.Message.ShouldContain("cancelled");
        error.Message.ShouldContain(image);
        h.Manager.LiveCount.ShouldBe(0);
        h.Runtime.CreateCalls.ShouldBe(0);
    }

    [Fact]
    public async Task CreateAsync_BuildStepFails_SaysWhichStepWithItsOutputAndTheNextLaunchBuildsAgain()
    {
        var (h, builder) = await StartAsync();
        await using var _ = h;
        var (images, agent, image) = Target(h);
        builder.Failure = new ImageBuildException("Building failed at Step 2/3 : RUN install: exit 3", "Step 2/3 : RUN install", ["about to fail"]);
        var build = (await images.PrepareAsync(agent, image, "alice", CancellationToken.None)).ShouldNotBeNull();
        var launch = h.Manager.CreateAsync("alice", new CreateSessionRequest(agent.Id), CancellationToken.None);
        builder.Release.SetResult();

        var error = await Should.ThrowAsync<SessionCreateException>(launch.WaitAsync(s_timeout));
        error.Message.ShouldStartWith("Failed to create session: Building failed at Step 2/3");
        build.Progress.State.ShouldBe(ImageBuildState.Failed);
        build.Progress.FailedStepOutput.ShouldBe(["about to fail"]);
        h.Manager.LiveCount.ShouldBe(0);
        (await h.EventFieldsAsync("image.build_failed")).ShouldHaveSingleItem().GetProperty("step").GetString().ShouldBe("Step 2/3 : RUN install");

        builder.Failure = null;
        var again = await images.PrepareAsync(agent, image, "alice", CancellationToken.None);
        again.ShouldNotBeNull().ShouldNotBeSameAs(build);
        await again.WaitAsync(CancellationToken.None).WaitAsync(s_timeout);
        builder.Builds.ShouldBe(2);
    }

    [Fact]
    public async Task PrepareAsync_BuildImagesFalse_BuildsNothingAndTheLaunchGoesStraightToTheRuntime()
    {
        var (h, builder) = await StartAsync(new Dictionary<string, string?> { ["REMOLT_BUILD_IMAGES"] = "false" });
        await using var _ = h;
        var (images, agent, image) = Target(h);

        images.Enabled.ShouldBeFalse();
        (await images.PrepareAsync(agent, image, "alice", CancellationToken.None)).ShouldBeNull();
        await h.Manager.CreateAsync("alice", new CreateSessionRequest(agent.Id), CancellationToken.None).WaitAsync(s_timeout);
        builder.Builds.ShouldBe(0);
        h.Runtime.CreateCalls.ShouldBe(1);
    }

    private static async Task<(SessionManagerHarness Harness, FakeImageBuilder Builder)> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var builder = new FakeImageBuilder();
        var harness = await SessionManagerHarness.CreateAsync(settings, services: s => s.AddSingleton<ISandboxImageBuilder>(builder));
        return (harness, builder);
    }

    private static (SandboxImages Images, AgentDefinition Agent, string Image) Target(SessionManagerHarness h)
    {
        var catalog = h.Services.GetRequiredService<AgentCatalog>();
        var agent = catalog.Find(SessionManagerHarness.TesterAgent).ShouldNotBeNull();
        return (h.Services.GetRequiredService<SandboxImages>(), agent, catalog.ImageFor(agent));
    }

    private static async Task<List<ImageBuildProgress>> CollectAsync(ImageBuild build)
    {
        var seen = new List<ImageBuildProgress>();
        await foreach (var progress in build.WatchAsync(CancellationToken.None).WithCancellation(CancellationToken.None))
        {
            seen.Add(progress);
        }

        return seen;
    }
}
