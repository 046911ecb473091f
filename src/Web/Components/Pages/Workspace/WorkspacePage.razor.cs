using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Endpoints;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Components.Pages.Workspace;

public sealed partial class WorkspacePage : IAsyncDisposable
{
    /// <summary>The original frontend's key for the current session, so a reopened tab can find it again.</summary>
    public const string SessionStorageKey = Launch.StoredSession.StorageKey;

    private readonly CancellationTokenSource _lifetime = new();
    private readonly WorkspaceTabs _tabs = new();
    private Session? _session;
    private string _agentName = "";
    private IReadOnlyList<ServiceTab> _services = [];
    private RemoltBlazor.Sandboxes.Agents.AgentDefinition? _agent;
    private string _caller = CallerName.Anonymous;
    private bool _missing;
    private string _missingReason = "";
    private bool _ending;
    private string? _endError;
    private string? _endedReason;
    private SessionEndingSoon? _endingSoon;
    private SessionNoticeSubscription? _notices;
    private Task? _watch;

    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    private SessionManager Sessions { get; set; } = default!;

    [Inject]
    private AgentCatalog Agents { get; set; } = default!;

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
        try
        {
            _session = SessionIds.IsWellFormed(Id) ? Sessions.Get(Id, _caller) : throw new SessionNotFoundException();
            var agent = _agent = Agents.Find(_session.AgentId);
            _agentName = agent?.DisplayName ?? _session.AgentId;
            _services = ServiceTabs.For(agent);
            _tabs.Restore(await Sessions.CountTerminalsAsync(_session, _lifetime.Token));
        }
        catch (SessionNotFoundException)
        {
            // Someone else's session reads the same, so the page cannot be used to probe ids.
            Missing("This session does not exist or has ended.");
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _session is null)
        {
            return;
        }

        _notices = Sessions.Notices.Subscribe(_session.Id);
        _watch = WatchAsync(_notices, _lifetime.Token);
        var stored = SessionUrls.Response(_session, Agents.Find(_session.AgentId), _tabs.Windows.Count);
        await JS.InvokeVoidAsync("localStorage.setItem", SessionStorageKey, JsonSerializer.Serialize(stored, JsonSerializerOptions.Web.WithSnakeCase()));
        await RestoreLabelsAsync();
        StateHasChanged();
    }

    /// <summary>Shows the reaper's warnings and the session's end as they come (re-rendering through the dispatcher).</summary>
    private async Task WatchAsync(SessionNoticeSubscription notices, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notice in notices.Reader.ReadAllAsync(cancellationToken))
            {
                await InvokeAsync(() =>
                {
                    switch (notice)
                    {
                        case SessionEndingSoon soon:
                            _endingSoon = soon;
                            break;
                        case SessionKeptAlive:
                            _endingSoon = null;
                            break;
                        case SessionEndedNotice ended:
                            _endedReason = ended.Reason;
                            _endingSoon = null;
                            break;
                    }

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Missing(string reason)
    {
        _session = null;
        _missing = true;
        _missingReason = reason;
    }

    private void KeepAlive()
    {
        if (_session is null)
        {
            return;
        }

        try
        {
            Sessions.KeepAlive(_session.Id, _caller);
            _endingSoon = null;
        }
        catch (SessionException ex)
        {
            _endError = ex.Message;
        }
    }

    /// <summary>"End session" asks first: ending removes the sandbox with everything not pushed or downloaded.</summary>
    private async Task ConfirmEndAsync()
    {
        if (await Controls.EndSessionDialog.ConfirmAsync(Dialogs, _agentName))
        {
            await EndAsync();
        }
    }

    private async Task EndAsync()
    {
        if (_session is null)
        {
            return;
        }

        _ending = true;
        _endError = null;
        try
        {
            await Sessions.EndAsync(_session.Id, _caller, CancellationToken.None);
            await JS.InvokeVoidAsync("localStorage.removeItem", SessionStorageKey);
            Navigation.NavigateTo("");
        }
        catch (SessionException ex)
        {
            _endError = ex.Message;
        }
        finally
        {
            _ending = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        _notices?.Dispose();
        if (_watch is not null)
        {
            await _watch;
        }

        _lifetime.Dispose();
    }
}
