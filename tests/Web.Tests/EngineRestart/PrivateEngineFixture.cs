using RemoltBlazor.TestSupport;
using Xunit;

namespace RemoltBlazor.Web.Tests.EngineRestart;

/// <summary>
/// One private dockerd for the engine-restart tests, with the suite's sandbox image copied in once (the load is
/// most of these tests' time). Each test starts the daemon with or without live-restore on the same data.
/// </summary>
public sealed class PrivateEngineFixture : IAsyncLifetime
{
    private PrivateDockerEngine? _engine;

    public PrivateDockerEngine Engine => _engine ?? throw new InvalidOperationException("The private engine did not start.");

    /// <summary>How long the engine start and the image copy took, for the report of these tests' time.</summary>
    public TimeSpan SetupTime { get; private set; }

    public async Task InitializeAsync()
    {
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
