using System.Globalization;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Realtime;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Finds the sandbox port behind a proxy path and checks the caller may reach it, in the original's order:
/// 404 "Session not found" (someone else's session too, so ids cannot be probed), then (dashboard) 400 "This agent has no web UI", then 409 while
/// the session is not running, then (preview) 400 for a port that is not a number or not allowed.
/// </summary>
internal sealed class ProxyTargets(SessionManager sessions, AgentCatalog agents, IOptions<ProxyOptions> options)
{
    /// <summary>code-server's port in every sandbox image (the original's VSCODE_PORT).</summary>
    public const int VsCodePort = 18080;

    private readonly PortRanges _previewPorts = options.Value.PreviewPortRanges;

    public static string DashboardPrefix(string id) => $"/proxy/{id}/";

    public static string VsCodePrefix(string id) => $"/vscode/{id}/";

    public static string PreviewPrefix(string id, int port) => string.Create(CultureInfo.InvariantCulture, $"/proxy/{id}/port/{port}/");

    public (ProxyTarget? Target, ProxyRefusal? Refusal) TryResolve(string id, string caller, ProxyKind kind, string? portText = null)
    {
        if (!SessionIds.IsWellFormed(id))
        {
            return (null, NotFound);
        }

        var session = Find(id, caller, out var refusal);
        if (session is null)
        {
            return (null, refusal);
        }

        var agent = agents.Find(session.AgentId);
        if (kind == ProxyKind.Dashboard && agent is not { HasDashboard: true })
        {
            return (null, new ProxyRefusal(StatusCodes.Status400BadRequest, SocketCloseCodes.BadRequest, "This agent has no web UI"));
        }

        if (!session.IsRunning || session.SandboxId is not { } sandboxId)
        {
            return (null, new ProxyRefusal(StatusCodes.Status409Conflict, SocketCloseCodes.NotFound, "Session is not running"));
        }

        switch (kind)
        {
            case ProxyKind.Dashboard:
                var port = agent!.Ports[0];
                return (new ProxyTarget(session, sandboxId, port.Port, kind, DashboardPrefix(id), port.AuthToken.Length > 0 ? port.AuthToken : null), null);
            case ProxyKind.VsCode:
                return (new ProxyTarget(session, sandboxId, VsCodePort, kind, VsCodePrefix(id), null), null);
            default:
                if (!PortRanges.TryParsePort(portText, out var previewPort))
                {
                    return (null, new ProxyRefusal(StatusCodes.Status400BadRequest, SocketCloseCodes.BadRequest, $"Invalid port: {portText} (a number from 1 to 65535)"));
                }

                if (!_previewPorts.Contains(previewPort))
                {
                    return (null, new ProxyRefusal(StatusCodes.Status400BadRequest, SocketCloseCodes.BadRequest,
                        $"Port {previewPort} is not open for preview (allowed: {_previewPorts})"));
                }

                return (new ProxyTarget(session, sandboxId, previewPort, kind, PreviewPrefix(id, previewPort), null), null);
        }
    }

    private static readonly ProxyRefusal NotFound = new(StatusCodes.Status404NotFound, SocketCloseCodes.NotFound, "Session not found");

    private Session? Find(string id, string caller, out ProxyRefusal? refusal)
    {
        refusal = null;
        try
        {
            return sessions.Get(id, caller);
        }
        catch (SessionNotFoundException)
        {
            // Get only answers for running sessions; one still starting (or ending) gets its own answer below.
        }

        // Someone else's session, pending or not, is "not found" like an unknown id: no probing of ids.
        var pending = sessions.Snapshot().FirstOrDefault(s => s.Id == id && s.IsPending && s.IsOwnedBy(caller));
        if (pending is null)
        {
            refusal = NotFound;
        }

        return pending;
    }
}
