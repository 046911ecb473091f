using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Hosting;

/// <summary>
/// The real app on a real Kestrel port (so browsers and ClientWebSocket can reach it), with its own SQLite folder
/// and settings. Optionally swaps the sandbox runtime for a test double, and changes services. Disposing ends the sessions a test left and
/// stops the host, so its warm pool is removed and nothing of its instance stays in Docker.
/// </summary>
public sealed class RemoltAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly ISandboxRuntime? _runtime;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _testUsers;
    private bool _started;
    private bool _disposed;

    /// <param name="testUsers">Signs requests in by <see cref="TestUserAuthentication"/>'s headers or cookies (several users in one test).</param>
    public RemoltAppFactory(
        IDictionary<string, string?>? settings = null, ISandboxRuntime? runtime = null, Action<IServiceCollection>? services = null, bool testUsers = false)
    {
        DataDirectory = TestDataFolder.Create("remolt-web-tests");
        _settings = new Dictionary<string, string?>
        {
            ["REMOLT_DATA_DIR"] = DataDirectory,
            ["REMOLT_EVENTS_STDOUT"] = "false",
            ["REMOLT_MAX_USER_SESSIONS"] = "10",
            ["REMOLT_ATTACH_RETRY_MS"] = "200",
            ["REMOLT_SANDBOX_IMAGE"] = SandboxImage.Name, // every agent on the plain test image
            // Launches do not build images here: the test image is shared by every worktree's tests on this machine and
            // made by container/build-images.sh; tests of the launch-time build turn it on (with their own image names).
            ["REMOLT_BUILD_IMAGES"] = "false",
            ["REMOLT_BUILD_EXTRA_CA"] = TestEnvironment.ExtraCaFile,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        _runtime = runtime;
        _services = services;
        _testUsers = testUsers;
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    /// <summary>The app's base address on 127.0.0.1 (starts the server on first use).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    /// <summary>The instance id this app labels its sandboxes and networks with.</summary>
    public string InstanceId => File.ReadAllText(Path.Combine(DataDirectory, TestRun.InstanceIdFile)).Trim();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Whoever built the host (BaseAddress, Services, CreateClient), its sessions are ended on dispose.
        _started = true;
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_runtime is not null)
        {
            builder.ConfigureServices(services =>
            {
                services.Replace(ServiceDescriptor.Singleton(_runtime));
                services.Replace(ServiceDescriptor.Singleton(new RuntimeSelection(_runtime.Name, "the test's runtime")));
            });
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }

        if (_testUsers)
        {
            builder.ConfigureServices(TestUserAuthentication.Install);
        }
    }

    public SessionManager Sessions => Services.GetRequiredService<SessionManager>();

    public ISandboxRuntime Runtime => Services.GetRequiredService<ISandboxRuntime>();

    /// <summary>Ends every session the test left, so no sandbox outlives it.</summary>
    public async Task EndAllSessionsAsync()
    {
        foreach (var session in Sessions.Snapshot())
        {
            await Sessions.EndAsync(session, "user", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_started)
        {
            await EndAllSessionsAsync();
        }

        await base.DisposeAsync();
        TestDataFolder.Delete(DataDirectory);
    }
}
