using RemoltBlazor.TestSupport;
using Xunit;

namespace RemoltBlazor.Web.Tests.EngineRestart;

/// <summary>
/// One private dockerd for the engine-restart tests (a collection fixture: every class of them shares it), with the
/// suite's sandbox image copied in once (the copy is most of these tests' time). Each test starts the daemon with or
/// without live-restore on the same data.
/// </summary>
public sealed class PrivateEngineFixture : IAsyncLifetime
{
    public const string Collection = "private docker engine";

    private PrivateDockerEngine? _engine;

    public PrivateDockerEngine Engine => _engine ?? throw new InvalidOperationException("The private engine did not start.");

    /// <summary>How long the engine start and the image copy took, for the report of these tests' time.</summary>
    public TimeSpan SetupTime { get; private set; }

    /// <summary>The app's settings for this engine: its socket, its own subnet pool, a sweep every second.</summary>
    public Dictionary<string, string?> AppSettings() => new()
    {
        ["DOCKER_HOST"] = Engine.DockerHost,
        ["REMOLT_RUNTIME"] = "docker", // this engine goes down and comes back under the app: never fall back to local
        ["REMOLT_SANDBOX_SUBNET_POOL"] = PrivateDockerEngine.SubnetPool,
        ["REMOLT_CLEANUP_INTERVAL"] = "1",
    };

    /// <summary>Stops whatever an earlier test left running and starts the daemon afresh.</summary>
    public async Task<PrivateDockerEngine> RestartAsync(bool liveRestore)
    {
        await Engine.StopDaemonAsync();
        await Engine.StartDaemonAsync(liveRestore);
        return Engine;
    }

    public async Task InitializeAsync()
    {
        if ((TestEnvironment.DockerSkipReason ?? PrivateDockerEngine.SkipReason) is not null)
        {
            return; // Every test of the collection skips.
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var image = await SandboxImage.EnsureBuiltAsync();
        _engine = await PrivateDockerEngine.StartAsync(liveRestore: true);
        await _engine.LoadImageAsync(image);
        await _engine.StopDaemonAsync();
        SetupTime = started.Elapsed;
        Console.WriteLine($"private engine with {image}: {SetupTime.TotalSeconds:F1} s");
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await _engine.DisposeAsync();
            Console.WriteLine($"private engine removed: {started.Elapsed.TotalSeconds:F1} s");
        }
    }
}

[CollectionDefinition(PrivateEngineFixture.Collection)]
public sealed class PrivateEngineCollection : ICollectionFixture<PrivateEngineFixture>;
