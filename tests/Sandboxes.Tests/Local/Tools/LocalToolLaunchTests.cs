using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Contract.Local;
using RemoltBlazor.Sandboxes.Tests.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local.Tools;

/// <summary>A session launch on the local runtime, composed as the app composes it: the agent's install goes through the image seam.</summary>
public sealed class LocalToolLaunchTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [LocalFact]
    public async Task CreateAsync_AgentWithAnInstall_InstallsThroughTheSeamWithProgressAndTheSessionRunsItsTool()
    {
        const string install = "echo fetching hello; mkdir -p \"$NPM_CONFIG_PREFIX/bin\"; " +
            "printf '#!/bin/sh\\necho hello from the agent\\n' > \"$NPM_CONFIG_PREFIX/bin/hello-agent\"; chmod +x \"$NPM_CONFIG_PREFIX/bin/hello-agent\"; echo installed hello";
        await using var h = await SessionManagerHarness.CreateAsync(
            new Dictionary<string, string?> { ["REMOLT_BUILD_IMAGES"] = "true" },
            JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = "hello", ["name"] = "Hello", ["install"] = install }),
            services => services.Replace(ServiceDescriptor.Singleton<ISandboxRuntime>(sp => sp.GetRequiredService<LocalRuntime>())));
        var data = Path.Combine(h.Folder, "data");
        try
        {
            var images = h.Services.GetRequiredService<SandboxImages>();
            var catalog = h.Services.GetRequiredService<AgentCatalog>();
            var agent = catalog.Find("hello").ShouldNotBeNull();
            images.Enabled.ShouldBeTrue();

            var build = (await images.PrepareAsync(agent, catalog.ImageFor(agent), "alice", CancellationToken.None)).ShouldNotBeNull();
            var seen = CollectAsync(build);
            var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest("hello"), CancellationToken.None).WaitAsync(s_timeout);

            var progress = await seen.WaitAsync(s_timeout);
            progress[^1].State.ShouldBe(ImageBuildState.Succeeded);
            progress[^1].StepsTotal.ShouldBe(2);
            progress.ShouldContain(p => p.CurrentStep == "install hello");
            progress[^1].LogTail.ShouldContain("installed hello");
            var result = await h.Services.GetRequiredService<ISandboxRuntime>()
                .ExecAsync(session.SandboxId.ShouldNotBeNull(), ["bash", "-lc", "hello-agent"], ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(s_timeout);
            Encoding.UTF8.GetString(result.Stdout).ShouldBe("hello from the agent\n", Encoding.UTF8.GetString(result.Stderr));

            (await images.PrepareAsync(agent, catalog.ImageFor(agent), "bob", CancellationToken.None)).ShouldBeNull("the tools are installed");
            (await h.EventFieldsAsync("image.build_finished")).ShouldHaveSingleItem().GetProperty("agent").GetString().ShouldBe("hello");
            await h.Manager.EndAsync(session.Id, "alice", CancellationToken.None).WaitAsync(s_timeout);
        }
        finally
        {
            LocalContractHost.KillAll(data);
        }
    }

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
