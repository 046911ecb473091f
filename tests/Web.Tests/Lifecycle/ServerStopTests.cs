using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Lifecycle;

/// <summary>
/// A server that stops (a test host's dispose, or SIGTERM to the real process) removes its warm pool: no sandbox or
/// network of its instance is left in Docker, where nothing would ever remove it.
/// </summary>
public sealed class ServerStopTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    // claude-code and openclaw say warm_pool: true, so the pool holds one sandbox of each.
    private const int PoolSandboxes = 2;

    [DockerFact]
    public async Task DisposeAsync_WarmPoolFilled_LeavesNoSandboxOrNetworkOfItsInstance()
    {
        await SandboxImage.EnsureBuiltAsync();
        var app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_WARM_POOL"] = "1" });
        var instance = app.InstanceId;
        try
        {
            _ = app.BaseAddress;
            await Poll.UntilAsync(async () => await WarmContainersAsync(instance) == PoolSandboxes, s_timeout);
            await app.DisposeAsync();

            (await DockerCli.ListInstanceAsync(instance)).ShouldBeEmpty();
        }
        finally
        {
            await app.DisposeAsync();
            await DockerCli.RemoveInstanceByIdAsync(instance);
        }
    }

    [DockerFact]
    public async Task SigTerm_WarmPoolFilled_LeavesNoSandboxOrNetworkOfItsInstance()
    {
        await SandboxImage.EnsureBuiltAsync();
        var data = TestDataFolder.Create("remolt-stop-tests");
        var instance = (await File.ReadAllTextAsync(Path.Combine(data, TestRun.InstanceIdFile))).Trim();
        try
        {
            await using var app = await AppProcess.StartAsync(data, new Dictionary<string, string>
            {
                ["REMOLT_WARM_POOL"] = "1",
                ["REMOLT_SANDBOX_IMAGE"] = SandboxImage.Name,
            });
            await Poll.UntilAsync(async () => await WarmContainersAsync(instance) == PoolSandboxes, s_timeout);

            await app.StopAsync();

            (await DockerCli.ListInstanceAsync(instance)).ShouldBeEmpty(app.Output);
        }
        finally
        {
            await DockerCli.RemoveInstanceByIdAsync(instance);
            TestDataFolder.Delete(data);
        }
    }

    private static async Task<int> WarmContainersAsync(string instance) =>
        (await DockerCli.ListInstanceAsync(instance)).Count(line => line.StartsWith("container ", StringComparison.Ordinal));
}
