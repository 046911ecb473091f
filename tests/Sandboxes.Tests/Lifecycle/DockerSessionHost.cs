using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using RemoltBlazor.Data;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Lifecycle;

/// <summary>
/// The Data and Sandboxes layers wired as the app wires them, on the real Docker engine, a real SQLite file and a
/// fake clock; hosted services are started by hand (the reconciler on <see cref="StartAsync"/>), the reaper is
/// driven one sweep at a time.
/// </summary>
internal sealed class DockerSessionHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ServiceProvider _services;
    private bool _down;

    private DockerSessionHost(string dataDirectory, ServiceProvider services, FakeTimeProvider time)
    {
        DataDirectory = dataDirectory;
        _services = services;
        Time = time;
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _services;

    public SessionManager Sessions => _services.GetRequiredService<SessionManager>();

    public ISandboxRuntime Runtime => _services.GetRequiredService<ISandboxRuntime>();

    public SessionStore Store => _services.GetRequiredService<SessionStore>();

    public EventLog Events => _services.GetRequiredService<EventLog>();

    public SessionReaper Reaper => _services.GetRequiredService<SessionReaper>();

    public ITerminalAttacher Terminals => _services.GetRequiredService<ITerminalAttacher>();

    public TerminalClients TerminalClients => _services.GetRequiredService<TerminalClients>();

    public RemoltBlazor.Sandboxes.Monitoring.SessionMonitor Monitor => _services.GetRequiredService<RemoltBlazor.Sandboxes.Monitoring.SessionMonitor>();

    public WarmPool WarmPool => _services.GetRequiredService<WarmPool>();

    public WarmSandboxStore WarmStore => _services.GetRequiredService<WarmSandboxStore>();

    public RemoltBlazor.Sandboxes.Workspace.WorkspaceTransfer Workspace => _services.GetRequiredService<RemoltBlazor.Sandboxes.Workspace.WorkspaceTransfer>();

    /// <summary>A host on <paramref name="dataDirectory"/> (a new temp folder if null): reuse one to simulate a restart.</summary>
    /// <param name="runtime">Another runtime than the app's Docker one (the runtime contract runs the layers above on each).</param>
    public static async Task<DockerSessionHost> StartAsync(
        IDictionary<string, string?>? settings = null, string? dataDirectory = null, FakeTimeProvider? time = null, ISandboxRuntime? runtime = null)
    {
        await SandboxImage.EnsureBuiltAsync();
        dataDirectory ??= TestDataFolder.Create("remolt-lifecycle-tests");
        TestRun.ClaimInstance(dataDirectory);
        time ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["REMOLT_DATA_DIR"] = dataDirectory,
            ["REMOLT_EVENTS_STDOUT"] = "false",
            ["REMOLT_AGENTS_DIR"] = Path.Combine(SandboxImage.FindRepoRoot(), "agents"),
            ["REMOLT_SANDBOX_IMAGE"] = SandboxImage.Name, // every agent on the plain test image
            // Launches do not build images here: the test image is shared by every worktree's tests on this machine and
            // made by container/build-images.sh; tests of the launch-time build turn it on (with their own image names).
            ["REMOLT_BUILD_IMAGES"] = "false",
            ["REMOLT_BUILD_EXTRA_CA"] = TestEnvironment.ExtraCaFile, // as the script is given it, so the hashes agree
            ["REMOLT_MAX_USER_SESSIONS"] = "20",
            ["REMOLT_MAX_SESSIONS"] = "20",
            ["REMOLT_ATTACH_RETRY_MS"] = "200",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddLogging();
        builder.AddRemoltData();
        builder.AddRemoltSandboxes();
        if (runtime is not null)
        {
            builder.Services.AddSingleton(runtime);
        }

        var services = builder.Services.BuildServiceProvider();
        var host = new DockerSessionHost(dataDirectory, services, time);

        // Migrations, then the reconciler, as at app start; the reaper's timer loop is not started.
        foreach (var hosted in services.GetServices<IHostedService>().Where(h => h is not (SessionReaper or RemoltBlazor.Sandboxes.Sessions.WarmPool)))
        {
            await hosted.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        }

        return host;
    }

    /// <summary>The data folder's database, opened directly (the server is down), to tamper with it.</summary>
    public static RemoltDbContext OpenDatabase(string dataDirectory)
    {
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<RemoltDbContext>();
        Microsoft.EntityFrameworkCore.SqliteDbContextOptionsBuilderExtensions.UseSqlite(options, $"Data Source={Path.Combine(dataDirectory, "remolt.db")}");
        return new RemoltDbContext(options.Options);
    }

    public Task<Session> CreateAsync(string owner = "anonymous", CreateSessionRequest? request = null) =>
        Sessions.CreateAsync(owner, request ?? new CreateSessionRequest(), CancellationToken.None).WaitAsync(Timeout);

    public Task SweepAsync() => Reaper.SweepAsync(CancellationToken.None).WaitAsync(Timeout);

    /// <summary>
    /// Stops as the app does on SIGTERM: every hosted service's StopAsync runs (the warm pool removes its ready
    /// sandboxes; user sandboxes keep running), then the process goes.
    /// </summary>
    public async ValueTask StopGracefullyAsync()
    {
        if (_down)
        {
            return;
        }

        foreach (var hosted in _services.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        }

        await AbandonAsync();
    }

    /// <summary>Stops like a crash would: nothing is ended, sandboxes keep running.</summary>
    public async ValueTask AbandonAsync()
    {
        if (_down)
        {
            return;
        }

        _down = true;
        await _services.DisposeAsync();
    }

    /// <summary>
    /// Ends what is left and stops gracefully, so no sandbox or network of this host outlives it (a warm pool's
    /// spares included), then removes the data folder. After a crash (<see cref="AbandonAsync"/>) only the folder goes.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_down)
        {
            foreach (var session in Sessions.Snapshot())
            {
                await Sessions.EndAsync(session, "user", CancellationToken.None).WaitAsync(Timeout);
            }

            await StopGracefullyAsync();
        }

        TestDataFolder.Delete(DataDirectory);
    }
}
