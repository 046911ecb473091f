using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemoltBlazor.Data;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Data.Users;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Data.Tests;

/// <summary>A real SQLite file in a temporary folder, migrated the way the app migrates it.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestDatabase(string folder, ServiceProvider services)
    {
        Folder = folder;
        _services = services;
    }

    public string Folder { get; }

    /// <summary>
    /// Every file of the data folder as Latin-1 text (each byte one char), after a WAL checkpoint, for tests that grep
    /// for plaintext. A WAL file that disappears while this runs (the pool's last connection closed and removed it,
    /// after the checkpoint moved its pages into the database) is skipped.
    /// </summary>
    public async Task<IReadOnlyList<(string File, string Text)>> FileTextsAsync()
    {
        await using (var context = await Contexts.CreateDbContextAsync())
        {
            await context.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        var texts = new List<(string, string)>();
        foreach (var file in Directory.GetFiles(Folder))
        {
            try
            {
                texts.Add((file, System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file))));
            }
            catch (FileNotFoundException) when (file.EndsWith("-wal", StringComparison.Ordinal) || file.EndsWith("-shm", StringComparison.Ordinal))
            {
            }
        }

        return texts;
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    public SessionStore Sessions => _services.GetRequiredService<SessionStore>();

    public EventLog Events => _services.GetRequiredService<EventLog>();

    public UserStore Users => _services.GetRequiredService<UserStore>();

    public SignInSessionStore SignIns => _services.GetRequiredService<SignInSessionStore>();

    public IDbContextFactory<RemoltDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<RemoltDbContext>>();

    public string DatabasePath => Path.Combine(Folder, "remolt.db");

    /// <summary>Any other service of the data layer, resolved the way the app resolves it.</summary>
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<TestDatabase> CreateAsync(string? eventsLog = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "remolt-data-tests", Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["REMOLT_DATA_DIR"] = folder;
        builder.Configuration["REMOLT_EVENTS_STDOUT"] = "false";
        if (eventsLog is not null)
        {
            builder.Configuration["REMOLT_EVENTS_LOG"] = eventsLog;
        }

        var db = default(TestDatabase);
        builder.Services.AddSingleton<TimeProvider>(_ => db!.Time);
        builder.AddRemoltData();
        builder.Services.AddSingleton(NullLoggerFactory.Instance);
        var services = builder.Services.BuildServiceProvider();
        db = new TestDatabase(folder, services);
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return db;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        TestDataFolder.Delete(Folder);
    }
}
