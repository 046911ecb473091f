using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Auth;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Components.Pages.Workspace;

public sealed partial class WorkspacePage
{
    /// <summary>The original frontend's key for the current session, so a reopened tab can find it again.</summary>
    public const string SessionStorageKey = "remolt:session";

    private Session? _session;
    private string _agentName = "";
    private string _caller = Callers.Anonymous;
    private bool _missing;
    private string _missingReason = "";
    private bool _ending;
    private bool _ended;
    private string? _endError;

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

    protected override async Task OnParametersSetAsync()
    {
        _caller = Callers.NameOf((await Auth.GetAuthenticationStateAsync()).User);
        try
        {
            _session = SessionIds.IsWellFormed(Id) ? Sessions.Get(Id, _caller) : throw new SessionNotFoundException();
            _agentName = Agents.Find(_session.AgentId)?.DisplayName ?? _session.AgentId;
        }
        catch (SessionNotFoundException)
        {
            Missing("This session does not exist or has ended.");
        }
        catch (SessionForbiddenException)
        {
            Missing("This session belongs to someone else.");
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _session is not null)
        {
            await JS.InvokeVoidAsync("localStorage.setItem", SessionStorageKey, System.Text.Json.JsonSerializer.Serialize(new { session_id = _session.Id, ws_url = $"/ws/terminal/{_session.Id}", agent_type = _session.AgentId }));
        }
    }

    private void Missing(string reason)
    {
        _session = null;
        _missing = true;
        _missingReason = reason;
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

    private void OnTerminalEnded(TerminalEndedArgs args)
    {
        if (args.Reason is TerminalEndReason.Ended or TerminalEndReason.NotFound)
        {
            _ended = true;
        }
    }
}
