using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using System.Threading.Channels;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Components.Pages.Launch;

public sealed partial class LaunchPage : IAsyncDisposable
{
    private SecondTicker? _ticker;
    private IReadOnlyList<AgentDefinition> _agents = [];
    private IReadOnlyList<Session> _running = [];
    private RuntimeProbe? _runtime;
    private LaunchPrefs _prefs = new();
    private List<string> _errors = [];
    private bool _busy;
    private string? _lastUsed;

    // The image build this launch waits for (its own or another launch's), as last rendered; kept after a failure to
    // show the error. Leaving the page stops waiting (the build goes on for other launches waiting for it).
    private ImageBuild? _build;
    private ImageBuildProgress? _buildProgress;
    private readonly CancellationTokenSource _leaving = new();

    // False while prerendered: a click on the static HTML would be lost before the circuit is up.
    private bool _interactive;
    private string _caller = CallerName.Anonymous;

    [Inject]
    private SessionManager Sessions { get; set; } = default!;

    [Inject]
    private ISandboxRuntime Runtime { get; set; } = default!;

    [Inject]
    private RuntimeSelection Selection { get; set; } = default!;

    [Inject]
    private AgentCatalog Agents { get; set; } = default!;

    [Inject]
    private SandboxImages Images { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Auth { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _caller = CallerName.Of((await Auth.GetAuthenticationStateAsync()).User);
        _agents = Agents.All;
        _running = Sessions.ListRunning(_caller);
        _prefs.AgentType = AgentOptions.DefaultAgentId;
        var probe = await Runtime.ProbeAsync(CancellationToken.None);
        // When auto found no runtime at all, what to install (bubblewrap and tmux, or Docker) beats Docker's own fix.
        _runtime = probe.Available || Selection.NoneFound is null ? probe : probe with { Remedy = Selection.NoneFound };
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _lastUsed = await ReadLastSessionAsync();
        var stored = LaunchPrefs.Parse(await JS.InvokeAsync<string?>("localStorage.getItem", LaunchPrefs.StorageKey));
        stored.AgentType = Agents.Find(stored.AgentType ?? "") is null ? AgentOptions.DefaultAgentId : stored.AgentType;
        _prefs = stored;
        _interactive = true;
        // Uptimes tick and "last activity" moves; the list follows sessions started or ended elsewhere.
        _ticker = new SecondTicker(Time, () => InvokeAsync(() =>
        {
            _running = Sessions.ListRunning(_caller);
            StateHasChanged();
        }));
        StateHasChanged();
    }

    // The list holds live sessions: running, or still starting (a launch from another tab).
    private static string StateText(Session session) => session.IsRunning ? "Running" : "Starting";

    private static string StateKey(Session session) => session.IsRunning ? "running" : "starting";

    /// <summary>
    /// The session this browser used last (<c>remolt:session</c>, the original frontend's key), checked against the
    /// server: one that no longer runs, or is not the caller's, is forgotten.
    /// </summary>
    private async Task<string?> ReadLastSessionAsync()
    {
        var id = StoredSession.ReadId(await JS.InvokeAsync<string?>("localStorage.getItem", StoredSession.StorageKey));
        if (id is null)
        {
            return null;
        }

        if (_running.Any(s => s.Id == id))
        {
            return id;
        }

        await JS.InvokeVoidAsync("localStorage.removeItem", StoredSession.StorageKey);
        return null;
    }

    private string AgentName(string id) => Agents.Find(id)?.DisplayName ?? id;

    private async Task LaunchAsync()
    {
        _errors = [.. _prefs.Validate()];
        if (_errors.Count > 0)
        {
            return;
        }

        _busy = true;
        try
        {
            await JS.InvokeVoidAsync("localStorage.setItem", LaunchPrefs.StorageKey, _prefs.ToJson());
            if (Agents.Find(_prefs.AgentType ?? "") is { } agent && !await WaitForImageAsync(agent))
            {
                return;
            }

            var session = await Sessions.CreateAsync(
                _caller,
                new CreateSessionRequest(_prefs.AgentType, _prefs.GitUserName, _prefs.GitUserEmail),
                CancellationToken.None);
            Navigation.NavigateTo($"session/{session.Id}");
        }
        catch (SessionException ex)
        {
            _errors = [ex.Message];
            _running = Sessions.ListRunning(_caller);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>
    /// Builds the agent's image when it is missing (or joins the build another launch started), showing its progress;
    /// false when it failed or was cancelled (the panel then shows why). Other runtime trouble is left to the create.
    /// </summary>
    private async Task<bool> WaitForImageAsync(AgentDefinition agent)
    {
        _build = null;
        _buildProgress = null;
        ImageBuild? build;
        try
        {
            build = await Images.PrepareAsync(agent, Agents.ImageFor(agent), _caller, _leaving.Token);
        }
        catch (SandboxRuntimeException)
        {
            return true;
        }

        if (build is null)
        {
            return true;
        }

        _build = build;
        _buildProgress = build.Progress;
        StateHasChanged();
        var ready = false;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(_leaving.Token);
        var watching = WatchBuildAsync(build, watch.Token);
        try
        {
            await build.WaitAsync(_leaving.Token);
            ready = true;
        }
        catch (ImageBuildException)
        {
            // The panel shows the error and the failing step's output.
        }
        catch (OperationCanceledException) when (_leaving.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            // The outcome is rendered from here on; the watcher's last snapshots are not needed.
            await watch.CancelAsync();
            await watching;
        }

        _build = null;
        _buildProgress = ready ? null : build.Progress;
        return ready;
    }

    /// <summary>Renders the build's progress at most about 10 times a second, the newest snapshot each time.</summary>
    private async Task WatchBuildAsync(ImageBuild build, CancellationToken cancellationToken)
    {
        var snapshots = Channel.CreateUnbounded<ImageBuildProgress>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        try
        {
            var pacing = new Admin.RenderPacer(Time, TimeSpan.FromMilliseconds(100)).RunAsync(snapshots.Reader, progress => InvokeAsync(() =>
            {
                _buildProgress = progress;
                StateHasChanged();
            }), cancellationToken);
            await foreach (var progress in build.WatchAsync(cancellationToken))
            {
                snapshots.Writer.TryWrite(progress);
            }

            snapshots.Writer.TryComplete();
            await pacing;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page is going away.
        }
    }

    /// <summary>The Cancel button: stops the build for every launch waiting for it.</summary>
    private void CancelBuild() => _build?.Cancel();

    /// <summary>"End" asks first, as on the workspace page: ending removes the sandbox and what is in it.</summary>
    private async Task ConfirmEndAsync(Session session)
    {
        if (await EndSessionDialog.ConfirmAsync(Dialogs, AgentName(session.AgentId)))
        {
            await EndAsync(session);
        }
    }

    private async Task EndAsync(Session session)
    {
        _busy = true;
        try
        {
            await Sessions.EndAsync(session.Id, _caller, CancellationToken.None);
        }
        catch (SessionException ex)
        {
            _errors = [ex.Message];
        }
        finally
        {
            _running = Sessions.ListRunning(_caller);
            _busy = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _leaving.CancelAsync();
        _leaving.Dispose();
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync();
        }
    }
}
