using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Bench;

/// <summary>
/// The real app (src/Web's Program) on a real Kestrel port, Development environment, its own data folder.
/// Logging is kept at Warning so the app's own logging does not cost CPU during the measurements.
/// </summary>
internal sealed class BenchApp : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    public BenchApp(IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        DataDirectory = Path.Combine(Path.GetTempPath(), "remolt-bench", Guid.NewGuid().ToString("N"));
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    public SessionManager Sessions => Services.GetRequiredService<SessionManager>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("REMOLT_DATA_DIR", DataDirectory);
        builder.UseSetting("REMOLT_EVENTS_STDOUT", "false");
        builder.UseSetting("REMOLT_MAX_USER_SESSIONS", "10");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it is under the temp folder.
        }
    }
}
