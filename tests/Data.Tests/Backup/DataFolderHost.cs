using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Sessions;

namespace RemoltBlazor.Data.Tests.Backup;

/// <summary>
/// The data layer on a given folder, as the app wires it; unlike <see cref="TestDatabase"/> the folder outlives it
/// (a backup or restore test starts several hosts on the same folders), and the hosted services (the migrator) run
/// only when asked.
/// </summary>
internal sealed class DataFolderHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private DataFolderHost(string folder, ServiceProvider services)
    {
        Folder = folder;
        _services = services;
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "remolt.db");

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<DataFolderHost> StartAsync(string folder, bool migrate = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["REMOLT_DATA_DIR"] = folder;
        builder.Configuration["REMOLT_EVENTS_STDOUT"] = "false";
        builder.AddRemoltData();
        builder.Services.AddSingleton(NullLoggerFactory.Instance);
        var host = new DataFolderHost(folder, builder.Services.BuildServiceProvider());
        if (migrate)
        {
            foreach (var hosted in host._services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }
        }

        return host;
    }

    public static SessionRecord Session(string id, string owner = "alice") => new()
    {
        Id = id,
        SandboxId = "remolt-" + id,
        Owner = owner,
        AgentId = "claude",
        State = SessionState.Running,
        CreatedAt = DateTimeOffset.UtcNow,
        LastActivityAt = DateTimeOffset.UtcNow,
    };

    public Task InsertAsync(string sessionId) => Get<SessionStore>().InsertAsync(Session(sessionId), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools(); // the pool would keep the file open: a restore would find it "in use"
    }
}
