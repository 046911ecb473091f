using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using RemoltBlazor.Data;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Sessions;

/// <summary>
/// A <see cref="SessionManager"/> on a real, migrated SQLite file in a temp folder, a real <see cref="AgentCatalog"/>
/// (the repo's agents plus a <c>tester</c> agent with one secret and one plain variable) and the fake runtime.
/// </summary>
internal sealed class SessionManagerHarness : IAsyncDisposable
{
    public const string TesterAgent = "tester";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _services;

    private SessionManagerHarness(string folder, ServiceProvider services, FakeSandboxRuntime runtime, FakeTimeProvider time)
    {
        Folder = folder;
        _services = services;
        Runtime = runtime;
        Time = time;
    }

    public string Folder { get; }

    public FakeSandboxRuntime Runtime { get; }

    public FakeTimeProvider Time { get; }

    public SessionManager Manager => _services.GetRequiredService<SessionManager>();

    public IServiceProvider Services => _services;

    public InstanceIdentity Instance => _services.GetRequiredService<InstanceIdentity>();

    public SessionStore Store => _services.GetRequiredService<SessionStore>();

    public EventLog Events => _services.GetRequiredService<EventLog>();

    public string EventsFile => Path.Combine(Folder, "events.jsonl");

    /// <param name="services">More services (e.g. an image builder for the fake runtime).</param>
    public static async Task<SessionManagerHarness> CreateAsync(
        IDictionary<string, string?>? settings = null, string? agentJson = null, Action<IServiceCollection>? services = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "remolt-session-tests", Guid.NewGuid().ToString("N"));
        var agents = Path.Combine(folder, "agents");
        CopyRepoAgents(agents);
        Directory.CreateDirectory(Path.Combine(agents, TesterAgent));
        await File.WriteAllTextAsync(Path.Combine(agents, TesterAgent, "agent.json"), """
            {
              "id": "tester",
              "name": "Tester",
              "env_defaults": { "TESTER_MODE": "default" },
              "env_schema": [
                { "key": "TESTER_SECRET", "label": "Secret", "secret": true },
                { "key": "TESTER_PLAIN", "label": "Plain", "secret": false }
              ],
              "setup": "echo setup",
              "welcome": "hello tester"
            }
            """);

        if (agentJson is not null)
        {
            Directory.CreateDirectory(Path.Combine(agents, "extra"));
            await File.WriteAllTextAsync(Path.Combine(agents, "extra", "agent.json"), agentJson);
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["REMOLT_DATA_DIR"] = Path.Combine(folder, "data"),
            ["REMOLT_EVENTS_STDOUT"] = "false",
            ["REMOLT_EVENTS_LOG"] = Path.Combine(folder, "events.jsonl"),
            ["REMOLT_AGENTS_DIR"] = agents,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var runtime = new FakeSandboxRuntime();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddRemoltData();

        // The app's own composition of the session layer, with the fake in place of the Docker runtime.
        builder.AddRemoltSandboxes();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISandboxRuntime>(runtime));
        services?.Invoke(builder.Services);
        var provider = builder.Services.BuildServiceProvider();

        // Only the database migration runs; the reconciler, reaper and lifecycle events are not under test here.
        foreach (var hosted in provider.GetServices<IHostedService>().Where(h => h.GetType().Assembly == typeof(SessionStore).Assembly))
        {
            await hosted.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        }

        var harness = new SessionManagerHarness(folder, provider, runtime, time);
        provider.GetRequiredService<AgentCatalog>().LoadErrors.ShouldBeEmpty();
        return harness;
    }

    /// <summary>The fields of the named events (oldest first), as the JSON object stored with each.</summary>
    public async Task<IReadOnlyList<JsonElement>> EventFieldsAsync(string name, string? sessionId = null)
    {
        var recent = await Events.RecentAsync(1000, sessionId).WaitAsync(Timeout);
        return [.. recent.Where(e => e.Name == name).Reverse().Select(e => JsonDocument.Parse(e.Fields).RootElement.Clone())];
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        TestDataFolder.Delete(Folder);
    }

    private static void CopyRepoAgents(string target)
    {
        var source = Path.Combine(SandboxImage.FindRepoRoot(), "agents");
        foreach (var file in Directory.GetFiles(source, "agent.json", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
