using MudBlazor;
using MudBlazor.Services;
using System.Collections.Concurrent;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RemoltBlazor.Data;
using RemoltBlazor.Sandboxes;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Realtime.Circuit;
using RemoltBlazor.Web.Tests.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Components;

/// <summary>
/// The one bunit setup for the app's components: the app's own session layer (<c>AddRemoltData</c>,
/// <c>AddRemoltSandboxes</c>) on a migrated SQLite file in a temp folder with the fake sandbox runtime, the circuit's
/// terminal services with terminals that attach to in-memory TTYs, a fake clock, an anonymous user, and a loose JS
/// runtime in which <c>terminal.js</c> fits to 120x30. Services a UI component library needs are registered here, once.
/// </summary>
public sealed class ComponentTestContext : BunitContext
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly string _folder;
    private readonly ConcurrentQueue<ScriptedTerminalStream> _streams = new();
    private IRenderedComponent<MudDialogProvider>? _dialogs;

    private ComponentTestContext(string folder, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        _folder = folder;
        AttachTerminal = _ => NewStream();
        Attacher = new(options => AttachTerminal(options));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["REMOLT_DATA_DIR"] = Path.Combine(folder, "data"),
            ["REMOLT_EVENTS_STDOUT"] = "false",
            ["REMOLT_EVENTS_LOG"] = Path.Combine(folder, "events.jsonl"),
            ["REMOLT_AGENTS_DIR"] = Path.Combine(SandboxImage.FindRepoRoot(), "agents"),
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.AddRemoltData();
        builder.AddRemoltSandboxes();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISandboxRuntime>(Runtime));
        builder.Services.Replace(ServiceDescriptor.Singleton(_ => Selection)); // read when first asked for: a test may set it before
        builder.Services.Replace(ServiceDescriptor.Singleton<ITerminalAttacher>(Attacher));
        builder.Services.AddCircuitTerminals();
        builder.Services.AddMudServices();
        services?.Invoke(builder.Services);
        foreach (var service in builder.Services)
        {
            Services.Add(service);
        }

        AddAuthorization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        TerminalModule = JSInterop.SetupModule("./js/terminal.js");
        TerminalModule.Setup<TerminalFit>("fit").SetResult(new TerminalFit(120, 30));
    }

    public FakeSandboxRuntime Runtime { get; } = new();

    /// <summary>What runtime selection decided (set before the first render to test "nothing usable was found").</summary>
    public RuntimeSelection Selection { get; set; } = new("fake", "the test's runtime");

    public SignallingTimeProvider Time { get; } = new();

    /// <summary>Every terminal attach; it answers with <see cref="AttachTerminal"/>.</summary>
    internal CircuitTerminalTests.FakeAttacher Attacher { get; }

    /// <summary>How a terminal attach is answered: by default a new TTY that stays open (see <see cref="Streams"/>).</summary>
    internal Func<TerminalAttachOptions, TerminalStream> AttachTerminal { get; set; }

    /// <summary>The TTYs the default <see cref="AttachTerminal"/> handed out, oldest first.</summary>
    internal IReadOnlyList<ScriptedTerminalStream> Streams => [.. _streams];

    public BunitJSModuleInterop TerminalModule { get; }

    public SessionManager Sessions => Services.GetRequiredService<SessionManager>();

    public AgentCatalog Agents => Services.GetRequiredService<AgentCatalog>();

    public CircuitConnectionTracker Connection => Services.GetRequiredService<CircuitConnectionTracker>();

    /// <param name="settings"><c>REMOLT_*</c> settings over the defaults, e.g. a session limit.</param>
    /// <param name="services">More services, e.g. an image builder for the fake runtime.</param>
    public static async Task<ComponentTestContext> CreateAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var context = new ComponentTestContext(Path.Combine(Path.GetTempPath(), "remolt-component-tests", Guid.NewGuid().ToString("N")), settings, services);

        // Only the database migration runs; the reconciler, reaper and warm pool are not under test here.
        foreach (var hosted in context.Services.GetServices<IHostedService>().Where(h => h.GetType().Assembly == typeof(DataServiceCollectionExtensions).Assembly))
        {
            await hosted.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        }

        return context;
    }

    /// <summary>A running session of the anonymous user (the caller every page here sees).</summary>
    public Task<Session> CreateSessionAsync(string? agent = null) =>
        Sessions.CreateAsync("anonymous", new CreateSessionRequest(agent), CancellationToken.None).WaitAsync(Timeout);

    /// <summary>
    /// Clicks an End button and answers the confirmation it opens (<c>EndSessionDialog</c>) with "End session" or
    /// "Cancel"; returns once the click's handler has finished.
    /// </summary>
    public async Task ClickEndAndAnswerAsync(AngleSharp.Dom.IElement endButton, bool confirm)
    {
        _dialogs ??= Render<MudDialogProvider>();
        var click = endButton.ClickAsync(new());
        var answer = confirm ? "End session" : "Cancel";
        _dialogs.WaitForAssertion(() => _dialogs.FindAll("button").ShouldContain(b => b.TextContent.Trim() == answer), Timeout);
        await _dialogs.FindAll("button").First(b => b.TextContent.Trim() == answer).ClickAsync(new());
        await click.WaitAsync(Timeout);
    }

    internal ScriptedTerminalStream NewStream()
    {
        var stream = new ScriptedTerminalStream();
        _streams.Enqueue(stream);
        return stream;
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the temp directory.
        }
    }
}
