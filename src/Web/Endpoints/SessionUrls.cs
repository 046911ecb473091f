using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;
using RemoltBlazor.Web.Proxy;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>The URLs a session response carries, built the way the original's frontend expects them.</summary>
internal static class SessionUrls
{
    public static string Terminal(string id) => $"/ws/terminal/{id}";

    public static string Logs(string id) => $"/ws/logs/{id}";

    /// <summary>
    /// <paramref name="http"/> is the request the response answers: with it, <c>vscode_url</c> and <c>proxy_url</c>
    /// point at the apps origin (through a ticket for the caller, AppsTickets) instead of the app's own paths.
    /// </summary>
    public static SessionResponse Response(Session session, AgentDefinition? agent, int terminals, HttpContext? http = null)
    {
        var hasPorts = agent?.HasDashboard == true;
        return new SessionResponse(
            session.Id,
            "running",
            Terminal(session.Id),
            session.AgentId,
            hasPorts ? Sandboxed(http, session.Id, ProxyTargets.DashboardPrefix(session.Id)) : null,
            Sandboxed(http, session.Id, ProxyTargets.VsCodePrefix(session.Id)),
            // The original tied logs to ports (OpenClaw's hard-coded file); here they follow agent.json's "logs".
            string.IsNullOrWhiteSpace(agent?.Logs) ? null : Logs(session.Id),
            terminals);
    }

    public static SessionSummary Summary(Session session, AgentDefinition? agent, int terminals, HttpContext? http = null) => new(
        session.Id,
        "running",
        Terminal(session.Id),
        session.AgentId,
        agent?.HasDashboard == true ? Sandboxed(http, session.Id, ProxyTargets.DashboardPrefix(session.Id)) : null,
        session.CreatedAt.ToUnixTimeMilliseconds() / 1000.0,
        terminals);

    /// <summary>Where sandbox content at <paramref name="path"/> opens: the apps origin when it is on, else the path itself.</summary>
    private static string Sandboxed(HttpContext? http, string id, string path)
    {
        // Not listening: the old path, which says why sandbox content cannot open (never served here instead).
        if (http?.RequestServices.GetService<AppsOrigin>() is not { Enabled: true, IsListening: true } apps)
        {
            return path;
        }

        var tickets = http.RequestServices.GetRequiredService<AppsTickets>();
        return tickets.EnterUrl(http.Request, apps.OriginFor(http.Request, id), id, CallerName.Of(http), path);
    }
}
