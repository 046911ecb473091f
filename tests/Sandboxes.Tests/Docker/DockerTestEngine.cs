using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>The real engine's settings for tests, plus the docker CLI to check what the runtime left behind.</summary>
internal static class DockerTestEngine
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static DockerOptions Options(string? subnetPool = null) => new()
    {
        Socket = TestEnvironment.DockerSocketPath,
        // A pool of its own, so test networks never take the subnets of a concurrently running app.
        SubnetPool = subnetPool ?? "10.214.0.0/16",
        MemoryMb = 512,
        Cpus = 1,
    };

    public static DockerEngine Engine() => new(TestEnvironment.DockerSocketPath);

    public static DockerRuntime Runtime(DockerEngine engine, DockerOptions? options = null) =>
        new(engine, Microsoft.Extensions.Options.Options.Create(options ?? Options()), TimeProvider.System, NullLoggerFactory.Instance);

    public static string NewSessionId() => $"t-{Guid.NewGuid():N}"[..14];

    /// <summary>Runs the docker CLI and returns its stdout; used as an independent witness of the engine's state.</summary>
    public static async Task<string> CliAsync(params string[] args)
    {
        var (exitCode, stdout, stderr) = await DockerCli.ExecuteAsync(args, Timeout);
        exitCode.ShouldBe(0, stderr);
        return stdout.Trim();
    }

    /// <summary>Removes, by label, every container and network a test session made, whatever state they are in.</summary>
    public static async Task CleanUpSessionAsync(string sessionId)
    {
        var filter = $"label=remolt.session-id={sessionId}";
        var containers = await CliAsync("ps", "-aq", "--filter", filter);
        if (containers.Length > 0)
        {
            await CliAsync(["rm", "-f", .. containers.Split('\n')]);
        }

        var networks = await CliAsync("network", "ls", "-q", "--filter", filter);
        if (networks.Length > 0)
        {
            await CliAsync(["network", "rm", .. networks.Split('\n')]);
        }
    }

    public static Task<string> ImageAsync() => SandboxImage.EnsureBuiltAsync().WaitAsync(TimeSpan.FromMinutes(15));
}
