using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Contract.Docker;

/// <summary>
/// The Docker runtime on the real engine, for the contract tests; the docker CLI is the independent witness of what
/// exists, and cleanup goes by the instance label (every container and network the class made, whatever its state).
/// </summary>
public sealed class DockerContractHost : IRuntimeContractHost
{
    private DockerEngine? _engine;
    private DockerRuntime? _runtime;

    public static string? SkipReason => TestEnvironment.DockerSkipReason;

    public ISandboxRuntime Runtime => _runtime ?? throw new InvalidOperationException("The host did not start.");

    public string SandboxImage { get; private set; } = "";

    public string InstanceId { get; } = TestRun.NewInstanceId();

    public long? MemoryLimitBytes => DockerTestEngine.Options().MemoryMb * 1024L * 1024;

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        _engine = DockerTestEngine.Engine();
        _runtime = DockerTestEngine.Runtime(_engine);
        SandboxImage = await DockerTestEngine.ImageAsync();
    }

    // One second is plenty: the container runs an init that passes SIGTERM on.
    public Task StopSandboxAsync(string sandboxId) => DockerTestEngine.CliAsync("stop", "-t", "1", sandboxId);

    public async Task<bool> ExistsAsync(string sessionId)
    {
        var filter = $"label={SandboxLabels.SessionId}={sessionId}";
        return (await DockerTestEngine.CliAsync("ps", "-aq", "--filter", filter)).Length > 0
            || (await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", filter)).Length > 0;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_runtime is not null)
            {
                await RemoveLabelledAsync($"label={SandboxLabels.Instance}={InstanceId}");
            }
        }
        finally
        {
            _runtime?.Dispose();
            _engine?.Dispose();
        }
    }

    private static async Task RemoveLabelledAsync(string filter)
    {
        var containers = await DockerTestEngine.CliAsync("ps", "-aq", "--filter", filter);
        if (containers.Length > 0)
        {
            await DockerTestEngine.CliAsync(["rm", "-f", .. containers.Split('\n')]);
        }

        var networks = await DockerTestEngine.CliAsync("network", "ls", "-q", "--filter", filter);
        if (networks.Length > 0)
        {
            await DockerTestEngine.CliAsync(["network", "rm", .. networks.Split('\n')]);
        }
    }
}
