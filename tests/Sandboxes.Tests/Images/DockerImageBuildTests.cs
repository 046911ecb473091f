using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Image;
using RemoltBlazor.Sandboxes.Tests.Lifecycle;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Images;

/// <summary>
/// Launches of a small agent whose image is missing, on the real engine: the server builds it FROM the test sandbox
/// image (which the tests build with container/build-images.sh) with progress, once, shared, cancellable, and says
/// which step failed with what it printed. Each test's image has its own name and is removed at the end.
/// </summary>
public sealed class DockerImageBuildTests : IAsyncLifetime
{
    private const string AgentId = "imgtest";
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(5);

    private readonly string _agents = Directory.CreateTempSubdirectory("remolt-image-build-agents-").FullName;
    private readonly string _image = $"remolt-test-agent-{Guid.NewGuid():N}";
    private DockerSessionHost? _host;

    private DockerSessionHost Host => _host ?? throw new InvalidOperationException("Start the host first.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await ImageRun.DockerAsync("rmi", "-f", _image);
        Directory.Delete(_agents, recursive: true);
    }

    [DockerFact]
    public async Task Launch_MissingAgentImage_BuildsItWithProgressThenStartsAndTheScriptAgrees()
    {
        var secret = $"sk-secret-{Guid.NewGuid():N}";
        var (images, agent) = await StartAsync("echo install line one; echo install line two; touch /home/dev/.imgtest-installed");

        var build = (await images.PrepareAsync(agent, _image, "alice", CancellationToken.None)).ShouldNotBeNull();
        var seen = CollectAsync(build);
        var session = await Host.Sessions.CreateAsync("alice", new CreateSessionRequest(AgentId, AgentEnv: new Dictionary<string, string> { ["IMGTEST_KEY"] = secret }),
            CancellationToken.None).WaitAsync(s_buildTimeout);

        var progress = await seen;
        progress[^1].State.ShouldBe(ImageBuildState.Succeeded);
        // Dockerfile.agent's 11 instructions and the engine's LABEL step for each of the 3 build labels (the base is up
        // to date); known before the engine numbered them.
        progress[^1].StepsTotal.ShouldBe(14);
        progress[0].StepsTotal.ShouldBe(14);
        progress.ShouldContain(p => p.StepsDone > 0 && p.CurrentStep.StartsWith("RUN ", StringComparison.Ordinal));
        progress.ShouldContain(p => p.LogTail.Contains("install line one"));
        // Builds get no session settings: the launch's secret is nowhere in what every waiter may see.
        progress.ShouldAllBe(p => !p.LogTail.Any(line => line.Contains(secret)) && !p.CurrentStep.Contains(secret));

        (await Host.Runtime.ExecAsync(session.SandboxId!, ["test", "-f", "/home/dev/.imgtest-installed"], ReadOnlyMemory<byte>.Empty, CancellationToken.None)).ExitCode.ShouldBe(0);
        var (_, labels, _) = await ImageRun.DockerAsync("image", "inspect", "-f", "{{json .Config.Labels}}", _image);
        var parsed = JsonSerializer.Deserialize<Dictionary<string, string>>(labels)!;
        parsed["remolt.build-hash"].Length.ShouldBe(64);
        parsed["remolt.agent"].ShouldBe(AgentId);

        (await images.PrepareAsync(agent, _image, "bob", CancellationToken.None)).ShouldBeNull("the second launch does not build again");
        await Host.CreateAsync("bob", new CreateSessionRequest(AgentId));
        (await EventsAsync("image.build_started")).ShouldBe(1);

        // The script finds the server's image up to date (same hash), so the two never rebuild each other's images.
        var script = await ImageBuildScript.RunAsync(["--agent", AgentId],
            new Dictionary<string, string> { ["REMOLT_AGENTS_DIR"] = _agents, [AgentImages.VariableFor(AgentId)] = _image });
        script.ExitCode.ShouldBe(0, ImageBuildScript.Tail(script.Output));
        script.Output.ShouldContain($"{_image} is up to date");
    }

    [DockerFact]
    public async Task Launch_TwoAtOnceForTheSameMissingImage_ShareOneBuild()
    {
        var (images, agent) = await StartAsync("echo shared build; sleep 2");

        var first = (await images.PrepareAsync(agent, _image, "alice", CancellationToken.None)).ShouldNotBeNull();
        var second = await images.PrepareAsync(agent, _image, "bob", CancellationToken.None);
        second.ShouldBeSameAs(first);
        var seenByAlice = CollectAsync(first);
        var seenByBob = CollectAsync(second!);
        var launches = await Task.WhenAll(
            Host.Sessions.CreateAsync("alice", new CreateSessionRequest(AgentId), CancellationToken.None),
            Host.Sessions.CreateAsync("bob", new CreateSessionRequest(AgentId), CancellationToken.None)).WaitAsync(s_buildTimeout);

        launches.Select(s => s.Owner).Order().ShouldBe(["alice", "bob"]);
        (await EventsAsync("image.build_started")).ShouldBe(1);
        (await seenByAlice).ShouldContain(p => p.LogTail.Contains("shared build"));
        (await seenByBob).ShouldContain(p => p.LogTail.Contains("shared build"));
    }

    [DockerFact]
    public async Task Launch_InstallFails_SaysWhichStepWithItsOutput()
    {
        var (images, agent) = await StartAsync("echo about to fail; exit 3");
        var build = (await images.PrepareAsync(agent, _image, "alice", CancellationToken.None)).ShouldNotBeNull();

        var error = await Should.ThrowAsync<SessionCreateException>(
            Host.Sessions.CreateAsync("alice", new CreateSessionRequest(AgentId), CancellationToken.None).WaitAsync(s_buildTimeout));

        error.Message.ShouldContain("about to fail");
        error.Message.ShouldContain("Step ");
        error.Message.ShouldContain("RUN");
        build.Progress.State.ShouldBe(ImageBuildState.Failed);
        build.Progress.FailedStepOutput.ShouldContain("about to fail");
        build.Progress.Error.ShouldNotBeNull().ShouldContain("non-zero code: 3");
        Host.Sessions.LiveCount.ShouldBe(0);
        (await ImageRun.DockerAsync("image", "inspect", _image)).ExitCode.ShouldNotBe(0);
    }

    [DockerFact]
    public async Task Cancel_RunningBuild_StopsItLeavingNoImageTaggedAndNoBuildContainer()
    {
        var marker = Guid.NewGuid().ToString("N");
        var (images, agent) = await StartAsync($"echo started-{marker}; sleep 300");
        var build = (await images.PrepareAsync(agent, _image, "alice", CancellationToken.None)).ShouldNotBeNull();
        using var aliceLeaves = new CancellationTokenSource();
        var alice = build.WaitAsync(aliceLeaves.Token);
        var bob = build.WaitAsync(CancellationToken.None);
        await Poll.UntilAsync(() => build.Progress.LogTail.Any(l => l.Contains($"started-{marker}")), s_buildTimeout);

        // A waiter that leaves does not stop the build another launch waits for.
        await aliceLeaves.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(alice);
        await Task.Delay(1000);
        build.Progress.State.ShouldBe(ImageBuildState.Running);

        build.Cancel();

        await Should.ThrowAsync<ImageBuildCancelledException>(bob.WaitAsync(TimeSpan.FromSeconds(60)));
        build.Progress.State.ShouldBe(ImageBuildState.Cancelled);
        (await ImageRun.DockerAsync("image", "inspect", _image)).ExitCode.ShouldNotBe(0);
        await Poll.UntilAsync(async () => !(await ImageRun.DockerAsync("ps", "-a", "--no-trunc", "--format", "{{.Command}}")).Stdout.Contains(marker),
            TimeSpan.FromSeconds(60));
    }

    [DockerFact]
    public async Task Launch_BuildImagesFalse_FailsNamingTheImageAndTheScript()
    {
        var (images, _) = await StartAsync("echo never", new Dictionary<string, string?> { ["REMOLT_BUILD_IMAGES"] = "false" });

        var error = await Should.ThrowAsync<SessionCreateException>(
            Host.Sessions.CreateAsync("alice", new CreateSessionRequest(AgentId), CancellationToken.None).WaitAsync(DockerSessionHost.Timeout));

        images.Enabled.ShouldBeFalse();
        error.Message.ShouldContain(_image);
        error.Message.ShouldContain("container/build-images.sh");
        (await EventsAsync("image.build_started")).ShouldBe(0);
    }

    private async Task<(SandboxImages Images, AgentDefinition Agent)> StartAsync(string install, IDictionary<string, string?>? more = null)
    {
        Directory.CreateDirectory(Path.Combine(_agents, AgentId));
        await File.WriteAllTextAsync(Path.Combine(_agents, AgentId, "agent.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = AgentId,
            ["name"] = "Image test",
            ["install"] = install,
            ["env_schema"] = new[] { new Dictionary<string, object> { ["key"] = "IMGTEST_KEY", ["label"] = "Key", ["secret"] = true } },
        }));
        var settings = new Dictionary<string, string?>
        {
            ["REMOLT_AGENTS_DIR"] = _agents,
            [AgentImages.VariableFor(AgentId)] = _image,
            ["REMOLT_BUILD_IMAGES"] = "true",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        _host = await DockerSessionHost.StartAsync(settings);
        var agent = _host.Services.GetRequiredService<AgentCatalog>().Find(AgentId).ShouldNotBeNull();
        return (_host.Services.GetRequiredService<SandboxImages>(), agent);
    }

    private async Task<int> EventsAsync(string name) =>
        (await Host.Events.RecentAsync(1000)).Count(e => e.Name == name);

    private static async Task<List<ImageBuildProgress>> CollectAsync(ImageBuild build)
    {
        var seen = new List<ImageBuildProgress>();
        await foreach (var progress in build.WatchAsync(CancellationToken.None))
        {
            seen.Add(progress);
        }

        return seen;
    }
}
